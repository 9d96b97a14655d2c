package dev.orchat.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchat.db.Database;
import dev.orchat.upload.AttachmentStorage;
import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import java.time.Clock;

/** Export and import routes (docs/api.md "Export", "Import"). */
public final class TransferWiring {
    private TransferWiring() {
    }

    public static void register(Environment env, Database db, Path uploadsRoot, ImportFactory limits,
                                Clock clock) {
        ObjectMapper mapper = env.getObjectMapper();
        SessionExporter exporter = new SessionExporter(new SessionReader(db), mapper, uploadsRoot, clock);
        env.jersey().register(new ExportResource(exporter));
        env.jersey().register(new ExportAllResource(exporter));
        ImportWriter writer = new ImportWriter(db, new AttachmentStorage(uploadsRoot));
        env.jersey().register(new ImportResource(new ImportService(limits, mapper, writer, clock)));
    }
}
