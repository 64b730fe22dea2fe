package io.eggroll.cli;

import io.eggroll.backend.BackendProvider;
import io.eggroll.backend.Backends;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Lists every backend found on the class path (each module's {@link BackendProvider}), its
 * devices, or why it is unavailable. A backend whose module is absent is not listed.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List the compute backends found, their devices, and why any is unavailable.")
final class DevicesCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        for (BackendProvider p : Backends.providers()) {
            var reason = p.unavailableReason();
            if (reason.isPresent()) {
                System.out.println(p.name() + ": unavailable: " + reason.get());
                continue;
            }
            System.out.println(p.name() + ":");
            var devices = p.devices();
            for (int i = 0; i < devices.size(); i++) {
                System.out.println("  [" + i + "] " + devices.get(i));
            }
        }
        return 0;
    }
}
