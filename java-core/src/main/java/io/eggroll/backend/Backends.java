package io.eggroll.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds backends with {@link ServiceLoader}; the cpu backend is always present. */
public final class Backends {

    private Backends() {}

    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).forEach(list::add);
        return list;
    }

    public static BackendProvider provider(String name) {
        List<BackendProvider> all = providers();
        for (BackendProvider p : all) {
            if (p.name().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new BackendUnavailableException("unknown backend '" + name + "'; found: "
                + all.stream().map(BackendProvider::name).collect(Collectors.joining(", "))
                + " (a backend from another module needs that module's jar on the class path; "
                + "'eggroll devices' lists what is installed)");
    }

    /** Creates the named backend or throws with the reason it is unavailable. */
    public static Backend create(String name, BackendOptions options) {
        BackendProvider p = provider(name);
        p.unavailableReason().ifPresent(r -> {
            throw new BackendUnavailableException("backend '" + p.name() + "' is unavailable: " + r);
        });
        return p.create(options);
    }
}
