package ai.sentx.application;

import ai.sentx.domain.KeyHasher;
import ai.sentx.domain.Limits;
import ai.sentx.port.Accounts;
import ai.sentx.port.ApiKeys;
import ai.sentx.port.BlobStore;
import ai.sentx.port.DocumentReader;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.FormatDetector;
import ai.sentx.port.IdSource;
import ai.sentx.port.Ledger;
import ai.sentx.port.MalwareScanner;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.PaymentEvents;
import ai.sentx.port.Payments;
import ai.sentx.port.RateLimits;
import ai.sentx.port.Sessions;
import ai.sentx.port.UsageRecords;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Every use case, built once from the driven ports: what the local server and the AWS
 * composition roots share, so both serve the same application.
 */
public final class Services {
    /** The driven ports, as one composition root provides them. */
    public record Ports(Accounts accounts, Ledger ledger, ApiKeys apiKeys, RateLimits rateLimits, UsageRecords usage,
                        Sessions sessions, PaymentEvents paymentEvents, Payments payments, ModelBackend backend,
                        FileCatalog files, BlobStore blobs, FormatDetector formats, MalwareScanner scanner,
                        DocumentReader documents) {
        public Ports {
            Objects.requireNonNull(accounts, "accounts");
            Objects.requireNonNull(ledger, "ledger");
            Objects.requireNonNull(apiKeys, "apiKeys");
            Objects.requireNonNull(rateLimits, "rateLimits");
            Objects.requireNonNull(usage, "usage");
            Objects.requireNonNull(sessions, "sessions");
            Objects.requireNonNull(paymentEvents, "paymentEvents");
            Objects.requireNonNull(payments, "payments");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(files, "files");
            Objects.requireNonNull(blobs, "blobs");
            Objects.requireNonNull(formats, "formats");
            Objects.requireNonNull(scanner, "scanner");
            Objects.requireNonNull(documents, "documents");
        }
    }

    /**
     * The operator's settings.
     *
     * @param safetyInstructions the platform's system text, first in every conversation ({@code null}: none)
     * @param keepAliveEvery     how long a stream may be silent before a {@code : keep-alive} comment
     * @param topUpLookBack      how far back reconciliation lists paid Checkout Sessions
     */
    public record Settings(Limits limits, KeyHasher hasher, String safetyInstructions, Duration keepAliveEvery,
                           Duration topUpLookBack) {
        public Settings {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(hasher, "hasher");
            Objects.requireNonNull(keepAliveEvery, "keepAliveEvery");
            Objects.requireNonNull(topUpLookBack, "topUpLookBack");
        }
    }

    private final AuthorizeApiCall authorize;
    private final CompleteChat chat;
    private final AuthenticateSession sessions;
    private final ShowAccount showAccount;
    private final CreateApiKey createKey;
    private final ListApiKeys listKeys;
    private final RevokeApiKey revokeKey;
    private final ListUsage listUsage;
    private final StartTopUp startTopUp;
    private final HandlePaymentEvent handlePaymentEvent;
    private final ListLedger listLedger;
    private final ReconcileTopUps reconcileTopUps;
    private final SweepExpiredHolds sweepExpiredHolds;
    private final UploadFile uploadFile;
    private final ListFiles listFiles;
    private final ShowFile showFile;
    private final ReadFileContent readFileContent;
    private final DeleteFile deleteFile;
    private final SweepExpiredFiles sweepExpiredFiles;

    private Services(Ports p, Settings s, IdSource ids, Clock clock) {
        this.authorize = new AuthorizeApiCall(p.apiKeys(), s.hasher(), p.rateLimits(), s.limits(), clock);
        this.chat = new CompleteChat(p.ledger(), p.rateLimits(), p.usage(), p.backend(), s.limits(), clock,
                s.safetyInstructions(), s.keepAliveEvery(),
                new ResolveAttachments(p.files(), p.blobs(), p.formats(), p.documents(), p.backend(), clock));
        this.sessions = new AuthenticateSession(p.sessions());
        this.showAccount = new ShowAccount(p.accounts(), p.ledger(), clock);
        this.createKey = new CreateApiKey(p.apiKeys(), p.rateLimits(), s.hasher(), s.limits(), clock, ids,
                new SecureRandom());
        this.listKeys = new ListApiKeys(p.apiKeys());
        this.revokeKey = new RevokeApiKey(p.apiKeys(), clock);
        this.listUsage = new ListUsage(p.usage());
        this.startTopUp = new StartTopUp(p.payments());
        this.handlePaymentEvent = new HandlePaymentEvent(p.payments(), p.paymentEvents(), p.ledger(), p.accounts(), clock);
        this.listLedger = new ListLedger(p.ledger());
        this.reconcileTopUps = new ReconcileTopUps(p.payments(), p.paymentEvents(), p.ledger(), p.accounts(), clock,
                s.topUpLookBack());
        this.sweepExpiredHolds = new SweepExpiredHolds(p.ledger(), clock);
        this.uploadFile = new UploadFile(p.files(), p.blobs(), p.formats(), p.scanner(), ids, clock);
        this.listFiles = new ListFiles(p.files(), clock);
        this.showFile = new ShowFile(p.files(), clock);
        this.readFileContent = new ReadFileContent(p.files(), p.blobs(), clock);
        this.deleteFile = new DeleteFile(p.files(), p.blobs(), clock);
        this.sweepExpiredFiles = new SweepExpiredFiles(p.files(), p.blobs(), clock);
    }

    /** Builds every use case over {@code ports}. Makes no call to any port. */
    public static Services of(Ports ports, Settings settings, IdSource ids, Clock clock) {
        return new Services(Objects.requireNonNull(ports, "ports"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(ids, "ids"), Objects.requireNonNull(clock, "clock"));
    }

    public AuthorizeApiCall authorize() {
        return authorize;
    }

    public CompleteChat chat() {
        return chat;
    }

    public AuthenticateSession sessions() {
        return sessions;
    }

    public ShowAccount showAccount() {
        return showAccount;
    }

    public CreateApiKey createKey() {
        return createKey;
    }

    public ListApiKeys listKeys() {
        return listKeys;
    }

    public RevokeApiKey revokeKey() {
        return revokeKey;
    }

    public ListUsage listUsage() {
        return listUsage;
    }

    public StartTopUp startTopUp() {
        return startTopUp;
    }

    public HandlePaymentEvent handlePaymentEvent() {
        return handlePaymentEvent;
    }

    public ListLedger listLedger() {
        return listLedger;
    }

    public ReconcileTopUps reconcileTopUps() {
        return reconcileTopUps;
    }

    public SweepExpiredHolds sweepExpiredHolds() {
        return sweepExpiredHolds;
    }

    public UploadFile uploadFile() {
        return uploadFile;
    }

    public ListFiles listFiles() {
        return listFiles;
    }

    public ShowFile showFile() {
        return showFile;
    }

    public ReadFileContent readFileContent() {
        return readFileContent;
    }

    public DeleteFile deleteFile() {
        return deleteFile;
    }

    public SweepExpiredFiles sweepExpiredFiles() {
        return sweepExpiredFiles;
    }
}
