package io.eggroll.backend;

import java.util.List;
import java.util.Optional;

/**
 * Service-provider interface: each backend jar lists its provider in
 * {@code META-INF/services/io.eggroll.backend.BackendProvider}.
 */
public interface BackendProvider {

    /** The name users pass to {@code --backend}. */
    String name();

    /** Empty when the backend can run here; else why not (no OpenCL ICD, no device, ...). */
    Optional<String> unavailableReason();

    /** Devices this backend can use, one line each, for {@code eggroll devices}. */
    List<String> devices();

    /** Creates a backend; throws {@link BackendUnavailableException} with the reason if it cannot. */
    Backend create(BackendOptions options);
}
