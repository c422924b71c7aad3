package io.worldmesh.flags;

import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An OpenFeature provider that reads flags from a file in flagd's flag-definition format, and re-reads it when an
 * operator edits it, so that a flag can be flipped while the cluster runs. See {@link FlagFileParser} for the
 * supported subset of the format.
 *
 * <p>Resolution, in this order:
 * <ul>
 *   <li>no good configuration loaded yet: the caller's default, reason ERROR, with FLAG_NOT_FOUND while the file
 *       is missing and PARSE_ERROR while it is refused (too large, unreadable, malformed or invalid);</li>
 *   <li>a key not in the file: the caller's default, ERROR / FLAG_NOT_FOUND;</li>
 *   <li>a flag whose variants are not of the evaluated type: the caller's default, ERROR / TYPE_MISMATCH
 *       (integer flags can be read as doubles and longs; object evaluations always mismatch);</li>
 *   <li>a DISABLED flag: the caller's default, reason DISABLED;</li>
 *   <li>a flag with a non-empty {@code targeting}: its default variant, reason DEFAULT, flag metadata
 *       {@code targetingIgnored=true}, since JsonLogic is not evaluated here (a warning is logged once per
 *       flag when the file version that defines it loads);</li>
 *   <li>otherwise its default variant, reason STATIC.</li>
 * </ul>
 * The evaluation context is not used.
 *
 * <p>Live reload and its bounds:
 * <ul>
 *   <li>One daemon thread, owned by this provider, looks at the file's size, modification time and file key every
 *       {@code pollInterval} (default 1 s), and reads it only when one of them changed. {@link #shutdown()} stops
 *       it. A change is seen within about one poll interval.</li>
 *   <li>A file bigger than {@link #MAX_FILE_BYTES} (1 MiB) is refused unread: the last good configuration stays,
 *       a warning is logged once per version of the file, and {@link FlagFileStatus#refusedTooLarge()} counts
 *       it.</li>
 *   <li>A file that is unreadable, not JSON, or defines any flag wrongly is refused as a whole: the last good
 *       configuration stays (a file is never half-applied), a warning says why, once per version, and
 *       {@link FlagFileStatus#refusedInvalid()} counts it.</li>
 *   <li>A file missing at start: every flag resolves to the caller's default with ERROR / FLAG_NOT_FOUND until
 *       the file appears. A file deleted later keeps the last good configuration (a warning is logged), so that
 *       replacing it non-atomically does not flip flags.</li>
 *   <li>When a new version applies and changes flags, PROVIDER_CONFIGURATION_CHANGED is emitted with the keys of
 *       the flags added, removed or redefined. A version that changes nothing emits nothing.</li>
 * </ul>
 * Operators should replace the file atomically (write a temporary file, then rename it over the old one), so that
 * the poller never reads a half-written file; a half-written file is refused as malformed and the next version is
 * read as soon as it lands.
 *
 * <p>Evaluations read an immutable {@link FlagSet} through one volatile field: no file access, no lock, and one
 * small allocation (the evaluation) in the common case.
 */
public final class FlagFileProvider extends EventProvider {

    /** The largest flag file accepted: far above any sane flag file, small enough to parse on every change. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final String NAME = "worldmesh-flag-file";
    /** Flag metadata key set to true on evaluations of a flag whose targeting was not evaluated. */
    public static final String TARGETING_IGNORED = "targetingIgnored";

    private static final Logger log = LoggerFactory.getLogger(FlagFileProvider.class);
    private static final Metadata METADATA = () -> NAME;
    private static final ImmutableMetadata TARGETING_IGNORED_METADATA = ImmutableMetadata.builder()
            .addBoolean(TARGETING_IGNORED, true)
            .build();
    private static final String NOT_FOUND = "flag is not defined in the flag file";
    private static final String OBJECT_MISMATCH = "object flags are not supported by " + NAME;

    private final Path file;
    private final Duration pollInterval;
    private final FlagFileReader reader;
    private final FlagFileParser parser = new FlagFileParser();
    private final ScheduledExecutorService poller;

    private volatile CurrentFlags current = new CurrentFlags.Unavailable(ErrorCode.PROVIDER_NOT_READY,
            "the flag file provider is not initialized");
    private volatile FlagFileStatus status;
    // Written only by initialize() and then the poller thread, which the executor orders after it.
    private FileStamp lastSeen = FileStamp.NEVER_LOOKED;
    private boolean started;
    private boolean stopped;

    public FlagFileProvider(Path file) {
        this(file, DEFAULT_POLL_INTERVAL);
    }

    public FlagFileProvider(Path file, Duration pollInterval) {
        this.file = Objects.requireNonNull(file, "file");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive, was " + pollInterval);
        }
        this.reader = new FlagFileReader(file, MAX_FILE_BYTES);
        this.status = FlagFileStatus.initial(file);
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "worldmesh-flags-poll " + file);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Metadata getMetadata() {
        return METADATA;
    }

    /** Loads the file once, synchronously, then starts polling it. A missing or refused file is not an error. */
    @Override
    public synchronized void initialize(EvaluationContext evaluationContext) {
        if (started || stopped) {
            return;
        }
        started = true;
        check(false);
        long nanos = pollInterval.toNanos();
        poller.scheduleWithFixedDelay(this::poll, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the poll thread, letting a check in progress finish, then the SDK's event emitter. */
    @Override
    public synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        // shutdown() cancels the periodic check without interrupting one in progress, which would fail its read.
        poller.shutdown();
        try {
            if (!poller.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("flag file poller for {} did not stop within 5 s; interrupting it", file);
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            poller.shutdownNow();
            Thread.currentThread().interrupt();
        }
        super.shutdown();
    }

    public FlagFileStatus status() {
        return status;
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ValueReader.BOOLEAN);
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ValueReader.STRING);
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ValueReader.INTEGER);
    }

    @Override
    public ProviderEvaluation<Long> getLongEvaluation(String key, Long defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ValueReader.LONG);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return resolve(key, defaultValue, ValueReader.DOUBLE);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        CurrentFlags now = current;
        if (now instanceof CurrentFlags.Unavailable unavailable) {
            return error(defaultValue, unavailable.errorCode(), unavailable.message());
        }
        boolean defined = ((CurrentFlags.Available) now).flags().flags().containsKey(key);
        return defined ? error(defaultValue, ErrorCode.TYPE_MISMATCH, OBJECT_MISMATCH)
                : error(defaultValue, ErrorCode.FLAG_NOT_FOUND, NOT_FOUND);
    }

    private <T> ProviderEvaluation<T> resolve(String key, T defaultValue, ValueReader<T> valueReader) {
        CurrentFlags now = current;
        if (now instanceof CurrentFlags.Unavailable unavailable) {
            return error(defaultValue, unavailable.errorCode(), unavailable.message());
        }
        FlagDefinition flag = ((CurrentFlags.Available) now).flags().flags().get(key);
        if (flag == null) {
            return error(defaultValue, ErrorCode.FLAG_NOT_FOUND, NOT_FOUND);
        }
        if (!valueReader.canRead().test(flag)) {
            return error(defaultValue, ErrorCode.TYPE_MISMATCH, valueReader.mismatch(flag));
        }
        if (flag.state() == FlagState.DISABLED) {
            return new ProviderEvaluation<>(defaultValue, null, Reason.DISABLED.name(), null, null,
                    ImmutableMetadata.EMPTY);
        }
        T value = valueReader.convert().apply(flag.defaultValue());
        return flag.targetingIgnored()
                ? new ProviderEvaluation<>(value, flag.defaultVariant(), Reason.DEFAULT.name(), null, null,
                        TARGETING_IGNORED_METADATA)
                : new ProviderEvaluation<>(value, flag.defaultVariant(), Reason.STATIC.name(), null, null,
                        ImmutableMetadata.EMPTY);
    }

    private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
        return new ProviderEvaluation<>(defaultValue, null, Reason.ERROR.name(), code, message,
                ImmutableMetadata.EMPTY);
    }

    private void poll() {
        // An exception escaping a scheduled task would silently end the polling: log it and carry on.
        try {
            check(true);
        } catch (RuntimeException e) {
            log.error("checking flag file {} failed; will check again", file, e);
        }
    }

    private void check(boolean emitChanges) {
        FileRead read = reader.read(lastSeen);
        status = status.checked();
        LoadOutcome outcome = switch (read) {
            case FileRead.Unchanged unchanged -> null;
            case FileRead.Missing missing -> missing();
            case FileRead.TooLarge tooLarge -> tooLarge(tooLarge);
            case FileRead.Unreadable unreadable -> {
                lastSeen = unreadable.stamp();
                yield refuse("it cannot be read: " + unreadable.reason());
            }
            case FileRead.Content content -> {
                lastSeen = content.stamp();
                yield switch (parser.parse(content.bytes())) {
                    case ParseResult.Invalid invalid -> refuse(invalid.reason());
                    case ParseResult.Parsed parsed -> apply(parsed.flags(), emitChanges);
                };
            }
        };
        if (outcome != null) {
            status = status.after(outcome);
        }
    }

    private LoadOutcome missing() {
        lastSeen = FileStamp.ABSENT;
        if (current instanceof CurrentFlags.Available) {
            log.warn("flag file {} disappeared; keeping the flags last loaded from it", file);
        } else {
            log.warn("flag file {} does not exist; every flag resolves to its caller's default until it appears",
                    file);
            current = new CurrentFlags.Unavailable(ErrorCode.FLAG_NOT_FOUND, "flag file " + file + " does not exist");
        }
        return new LoadOutcome.Missing();
    }

    private LoadOutcome tooLarge(FileRead.TooLarge tooLarge) {
        lastSeen = tooLarge.stamp();
        String why = "it is " + tooLarge.bytes() + " bytes or more, above the " + MAX_FILE_BYTES + "-byte bound";
        warnRefused(why);
        return new LoadOutcome.TooLarge(tooLarge.bytes());
    }

    private LoadOutcome refuse(String why) {
        warnRefused(why);
        return new LoadOutcome.Invalid(why);
    }

    private void warnRefused(String why) {
        if (current instanceof CurrentFlags.Available) {
            log.warn("flag file {} refused, keeping the flags last loaded from it: {}", file, why);
        } else {
            log.warn("flag file {} refused, every flag resolves to its caller's default: {}", file, why);
            current = new CurrentFlags.Unavailable(ErrorCode.PARSE_ERROR, "flag file " + file + " refused: " + why);
        }
    }

    private LoadOutcome apply(FlagSet next, boolean emitChanges) {
        FlagSet previous = current instanceof CurrentFlags.Available available ? available.flags() : FlagSet.EMPTY;
        List<String> changed = previous.changedKeys(next);
        current = new CurrentFlags.Available(next);
        log.info("flag file {} applied, changed flags: {}", file, changed);
        for (String key : changed) {
            FlagDefinition flag = next.flags().get(key);
            if (flag != null && flag.targetingIgnored()) {
                log.warn("flag '{}' in {} has targeting rules, which are not evaluated: it resolves to its default "
                        + "variant '{}'", key, file, flag.defaultVariant());
            }
        }
        // At initialization the SDK announces PROVIDER_READY itself; afterwards, listeners learn what changed.
        if (emitChanges && !changed.isEmpty()) {
            emitProviderConfigurationChanged(ProviderEventDetails.builder()
                    .flagsChanged(changed)
                    .message("flag file " + file + " changed")
                    .build());
        }
        return new LoadOutcome.Applied(next.flags().size(), changed);
    }
}
