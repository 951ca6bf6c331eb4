/** The app runtime: the API every Mirari app links against. JDK only. */
module org.mirari.runtime {
    requires jdk.httpserver;
    exports org.mirari.runtime;
    exports org.mirari.runtime.http;
    exports org.mirari.runtime.kv;
    exports org.mirari.runtime.net;
}
