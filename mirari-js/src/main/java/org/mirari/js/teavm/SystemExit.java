package org.mirari.js.teavm;

import org.mirari.js.lang.JsSystem;
import org.teavm.model.AccessLevel;
import org.teavm.model.ClassHolder;
import org.teavm.model.ClassHolderTransformer;
import org.teavm.model.ClassHolderTransformerContext;
import org.teavm.model.ElementModifier;
import org.teavm.model.MethodDescriptor;
import org.teavm.model.MethodHolder;
import org.teavm.model.ValueType;
import org.teavm.model.emit.ProgramEmitter;

/**
 * Adds {@code System.exit(int)}, which TeaVM 0.16's {@code System} lacks (an app calling it fails
 * to compile), as a call of {@link JsSystem#exit}: Node ends with the status at once, as the JVM does.
 */
final class SystemExit implements ClassHolderTransformer {
    private static final MethodDescriptor EXIT = new MethodDescriptor("exit", ValueType.INTEGER, ValueType.VOID);

    @Override
    public void transformClass(ClassHolder cls, ClassHolderTransformerContext context) {
        if (!cls.getName().equals("java.lang.System") || cls.getMethod(EXIT) != null) return;
        var method = new MethodHolder(EXIT);
        method.setLevel(AccessLevel.PUBLIC);
        method.getModifiers().add(ElementModifier.STATIC);
        var pe = ProgramEmitter.create(method, context.getHierarchy());
        pe.invoke(JsSystem.class.getName(), "exit", ValueType.VOID, pe.var(1, int.class));
        pe.exit();
        cls.addMethod(method);
    }
}
