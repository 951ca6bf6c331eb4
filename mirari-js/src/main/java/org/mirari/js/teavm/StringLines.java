package org.mirari.js.teavm;

import java.util.stream.Stream;
import org.mirari.js.lang.JsStrings;
import org.teavm.model.AccessLevel;
import org.teavm.model.ClassHolder;
import org.teavm.model.ClassHolderTransformer;
import org.teavm.model.ClassHolderTransformerContext;
import org.teavm.model.MethodDescriptor;
import org.teavm.model.MethodHolder;
import org.teavm.model.ValueType;
import org.teavm.model.emit.ProgramEmitter;

/**
 * Adds {@code String.lines()} (Java 11), which TeaVM 0.16's {@code String} lacks (an app calling it
 * fails to compile: {@code examples/noip} does), as a call of {@link JsStrings#lines}.
 */
final class StringLines implements ClassHolderTransformer {
    private static final MethodDescriptor LINES = new MethodDescriptor("lines", ValueType.parse(Stream.class));

    @Override
    public void transformClass(ClassHolder cls, ClassHolderTransformerContext context) {
        if (!cls.getName().equals("java.lang.String") || cls.getMethod(LINES) != null) return;
        var method = new MethodHolder(LINES);
        method.setLevel(AccessLevel.PUBLIC);
        var pe = ProgramEmitter.create(method, context.getHierarchy());
        pe.invoke(JsStrings.class.getName(), "lines", ValueType.parse(Stream.class), pe.var(0, String.class))
                .returnValue();
        cls.addMethod(method);
    }
}
