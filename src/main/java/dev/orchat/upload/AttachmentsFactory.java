package dev.orchat.upload;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.LocalTime;

/**
 * Attachments (docs/configuration.md §2, §8). Plain numbers for the keys ending in {@code Bytes}/{@code Days}, because legacy
 * environment variables supply plain numbers.
 *
 * <table>
 * <tr><td>dir</td><td>data/uploads</td><td>upload root</td></tr>
 * <tr><td>maxSizeBytes</td><td>10485760</td><td>per-file cap, enforced while streaming</td></tr>
 * <tr><td>retentionDays</td><td>7</td><td>0 = never expire</td></tr>
 * <tr><td>maxPerMessage</td><td>10</td><td>attachment references per user message</td></tr>
 * <tr><td>signedUrlTtl</td><td>24h</td><td>lifetime of signed content URLs</td></tr>
 * <tr><td>sweepTime</td><td>03:30</td><td>daily sweep, user time zone</td></tr>
 * <tr><td>orphanGracePeriod</td><td>1h</td><td>minimum age of an unreferenced file before the sweep deletes it</td></tr>
 * <tr><td>pdf.mode / engine / maxPages / maxChars</td><td>auto / native / 50 / 100000</td><td>§8.6</td></tr>
 * <tr><td>text.maxChars</td><td>100000</td><td>characters of an inlined text file</td></tr>
 * <tr><td>inputModalities</td><td>{}</td><td>model id → input modalities, for models the catalogue does not know</td></tr>
 * </table>
 */
public class AttachmentsFactory {
    public enum PdfMode { AUTO, FILE, TEXT }

    @JsonProperty
    @NotBlank
    private String dir = "data/uploads";

    @JsonProperty
    @Min(1)
    private long maxSizeBytes = 10_485_760L;

    @JsonProperty
    @Min(0)
    @Max(36_500)
    private int retentionDays = 7;

    @JsonProperty
    @Min(1)
    private int maxPerMessage = 10;

    @JsonProperty
    @NotNull
    private Duration signedUrlTtl = Duration.hours(24);

    @JsonProperty
    @Pattern(regexp = "([01]\\d|2[0-3]):[0-5]\\d", message = "must be HH:MM")
    private String sweepTime = "03:30";

    @JsonProperty
    @NotNull
    private Duration orphanGracePeriod = Duration.hours(1);

    @JsonProperty
    @Valid
    @NotNull
    private Pdf pdf = new Pdf();

    @JsonProperty
    @Valid
    @NotNull
    private Text text = new Text();

    @JsonProperty
    @NotNull
    @com.fasterxml.jackson.databind.annotation.JsonDeserialize(contentUsing = dev.orchat.config.CommaSeparatedList.class)
    private java.util.Map<String, java.util.List<String>> inputModalities = new java.util.HashMap<>();

    public static class Pdf {
        @JsonProperty
        @NotNull
        private PdfMode mode = PdfMode.AUTO;

        @JsonProperty
        private String engine = "native";

        @JsonProperty
        @Min(1)
        private int maxPages = 50;

        @JsonProperty
        @Min(1)
        private int maxChars = 100_000;

        public PdfMode getMode() {
            return mode;
        }

        /** Empty means "add no file-parser plugin entry". */
        public String getEngine() {
            return engine == null ? "" : engine.strip();
        }

        public int getMaxPages() {
            return maxPages;
        }

        public int getMaxChars() {
            return maxChars;
        }
    }

    public static class Text {
        @JsonProperty
        @Min(1)
        private int maxChars = 100_000;

        public int getMaxChars() {
            return maxChars;
        }
    }

    /**
     * Builds the feature: routes, the sweep (managed) and its task, metrics. {@code signingKey} may be null (a
     * random key per start); URLs are signed only when bearer tokens are on. Model capabilities come from
     * {@code catalogue} first, then from {@code inputModalities}.
     */
    public Uploads build(io.dropwizard.core.setup.Environment env, dev.orchat.db.Database store,
                         dev.orchat.web.BearerTokens tokens, dev.orchat.web.PublicUrls urls, String signingKey,
                         ModelCapabilities catalogue, java.time.ZoneId zone, java.time.Clock clock) {
        var mapper = env.getObjectMapper();
        AttachmentStorage storage = new AttachmentStorage(directory());
        AttachmentService service = new AttachmentService(store, storage, this, clock, env.metrics());
        UrlSigner signer = new UrlSigner(signingKey, signedUrlTtl(), clock);
        AttachmentViews views = new AttachmentViews(mapper, signer, tokens.isActive());
        PdfText pdfText = new PdfText();
        ModelInputBuilder modelInput = new ModelInputBuilder(service, store, this, pdfText,
                catalogue.orElse(ModelCapabilities.of(getInputModalities())), mapper);
        AttachmentSweeper sweeper = new AttachmentSweeper(store, storage, this, zone, clock, env.metrics());
        env.lifecycle().manage(sweeper);
        env.admin().addTask(new AttachmentsRetentionTask(sweeper));
        env.jersey().register(new UploadResource(service, views, urls, tokens, signer));
        return new Uploads(service, modelInput, new AttachmentRefViews(service, views, mapper), pdfText);
    }

    public int getMaxPerMessage() {
        return maxPerMessage;
    }

    public Path directory() {
        return Path.of(dir).toAbsolutePath().normalize();
    }

    public long getMaxSizeBytes() {
        return maxSizeBytes;
    }

    public int getRetentionDays() {
        return retentionDays;
    }

    public java.time.Duration signedUrlTtl() {
        return signedUrlTtl.toJavaDuration();
    }

    public LocalTime sweepTime() {
        return LocalTime.parse(sweepTime);
    }

    public java.time.Duration orphanGracePeriod() {
        return orphanGracePeriod.toJavaDuration();
    }

    public Pdf getPdf() {
        return pdf;
    }

    public java.util.Map<String, java.util.List<String>> getInputModalities() {
        return java.util.Map.copyOf(inputModalities);
    }

    public Text getText() {
        return text;
    }
}
