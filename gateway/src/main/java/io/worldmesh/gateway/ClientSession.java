package io.worldmesh.gateway;

import io.worldmesh.protocol.client.ClientMessage;
import io.worldmesh.protocol.client.ClientMessageDecoder;
import io.worldmesh.protocol.client.Decoded;
import io.worldmesh.protocol.client.ErrorCode;
import io.worldmesh.protocol.client.ServerMessages;
import io.worldmesh.protocol.link.ToGateway;
import io.worldmesh.protocol.link.ToNode;
import io.worldmesh.protocol.token.ResumeTokens;

import java.util.ArrayList;
import java.util.List;

/**
 * One client connection's protocol, without IO: it takes the client's frames and the simulation's replies, with
 * the current time, and returns what to do. Validation, the hello handshake, sequence and rate checks live here;
 * the transport only carries out the effects.
 */
public final class ClientSession {

    /** Where a session is in its life; the phase is the type. */
    private sealed interface Phase permits AwaitingHello, Attaching, Playing, Closed {
    }

    private record AwaitingHello() implements Phase {
    }

    /** Hello forwarded; inputs sent before the welcome wait here. {@code resuming}: a genuine token was given. */
    private record Attaching(List<ClientMessage.Input> pending, boolean resuming) implements Phase {
    }

    private record Playing(String playerId) implements Phase {
    }

    private record Closed() implements Phase {
    }

    /** Counts refusals by code, for metrics. */
    @FunctionalInterface
    public interface RefusalCounter {
        void refused(ErrorCode code);
    }

    private final long connectionId;
    private final ClientMessageDecoder decoder;
    private final ResumeTokens tokens;
    private final InputBucket rate;
    private final int pendingLimit;
    private final int inputsPerSecond;
    private final RefusalCounter refusals;
    private final long helloTimeoutMillis;
    private Phase phase = new AwaitingHello();
    private long lastSeq;

    public ClientSession(long connectionId, ClientMessageDecoder decoder, ResumeTokens tokens,
                         GatewaySettings settings, RefusalCounter refusals) {
        this.connectionId = connectionId;
        this.decoder = decoder;
        this.tokens = tokens;
        this.rate = new InputBucket(settings.maxInputsPerSecond());
        this.pendingLimit = settings.pendingInputLimit();
        this.inputsPerSecond = settings.maxInputsPerSecond();
        this.refusals = refusals;
        this.helloTimeoutMillis = settings.admission().helloTimeout().toMillis();
    }

    public long connectionId() {
        return connectionId;
    }

    /** The player this connection carries, or null before the welcome. */
    public String playerId() {
        return phase instanceof Playing p ? p.playerId() : null;
    }

    public List<SessionEffect> onText(String text, long nowNanos) {
        if (phase instanceof Closed) {
            return List.of();
        }
        return switch (decoder.decode(text)) {
            case Decoded.Invalid invalid -> refuse(invalid.code(), invalid.message());
            case Decoded.Ok ok -> switch (ok.message()) {
                case ClientMessage.Hello hello -> onHello(hello);
                case ClientMessage.Input input -> onInput(input, nowNanos);
                case ClientMessage.Ping ping -> phase instanceof AwaitingHello
                        ? refuse(ErrorCode.HELLO_REQUIRED, "send hello before anything else")
                        : List.of(SessionEffect.Send.reply(ServerMessages.pong(ping.id())));
                case ClientMessage.Echo echo -> onEcho(echo, nowNanos);
            };
        };
    }

    public List<SessionEffect> onBinary() {
        return refuse(ErrorCode.BINARY_UNSUPPORTED, "binary frames are not part of the protocol; send JSON text");
    }

    /** The simulation has placed (or resumed) this connection's player. */
    public List<SessionEffect> onAttached(ToGateway.Attached attached) {
        if (!(phase instanceof Attaching attaching)) {
            // The client went away meanwhile: let the player start its resume window.
            return List.of(new SessionEffect.Forward(new ToNode.Detach(attached.playerId(), connectionId)));
        }
        String playerId = attached.playerId();
        phase = new Playing(playerId);
        lastSeq = attached.lastAppliedSeq();
        List<SessionEffect> effects = new ArrayList<>();
        effects.add(new SessionEffect.Bind(playerId));
        if (attaching.resuming() && !attached.resumed()) {
            refusals.refused(ErrorCode.BAD_RESUME);
            effects.add(SessionEffect.Send.essential(ServerMessages.error(ErrorCode.BAD_RESUME,
                    "that player is no longer in the world; joining as a new player")));
        }
        effects.add(SessionEffect.Send.essential(ServerMessages.welcome(playerId, tokens.sign(playerId),
                attached.resumed(), attached.lastAppliedSeq(), attached.world())));
        for (ClientMessage.Input input : attaching.pending()) {
            effects.addAll(accept(playerId, input));
        }
        return effects;
    }

    /** The node could not place this connection's player: tell the client why and close. */
    public List<SessionEffect> onRefused(String reason) {
        if (!(phase instanceof Attaching)) {
            return List.of();
        }
        phase = new Closed();
        refusals.refused(ErrorCode.OVERLOADED);
        return List.of(SessionEffect.Send.essential(ServerMessages.error(ErrorCode.OVERLOADED, reason)),
                new SessionEffect.Close(1013, "try again later"));
    }

    /**
     * The node that was to serve this session's player no longer holds it (restored after a crash, its resume window
     * ran out before the gateway's answer reached the node): tell the client, and close so that it connects again and
     * joins as a new player. Nothing is detached: there is no player to detach.
     */
    public List<SessionEffect> onGone(String reason) {
        if (!(phase instanceof Playing)) {
            return List.of();
        }
        phase = new Closed();
        refusals.refused(ErrorCode.PLAYER_GONE);
        return List.of(SessionEffect.Send.essential(ServerMessages.error(ErrorCode.PLAYER_GONE, reason)),
                new SessionEffect.Close(1013, "player gone; connect again"));
    }

    /**
     * A newer connection has taken this session's player (a resume): end this one without detaching the player.
     */
    public List<SessionEffect> onSuperseded() {
        phase = new Closed();
        return List.of(new SessionEffect.Close(4000, "superseded by a newer connection for this player"));
    }

    /**
     * The hello timeout has passed since the connection opened: one that has said no hello yet is closed. The
     * transport sets the timer; the session decides what it means.
     */
    public List<SessionEffect> onHelloTimeout() {
        if (!(phase instanceof AwaitingHello)) {
            return List.of();
        }
        phase = new Closed();
        return List.of(new SessionEffect.Close(1008, "no hello within " + helloTimeoutMillis + " ms"));
    }

    /** The connection is gone. */
    public List<SessionEffect> onClosed() {
        Phase was = phase;
        phase = new Closed();
        if (was instanceof Playing p) {
            return List.of(new SessionEffect.Forward(new ToNode.Detach(p.playerId(), connectionId)));
        }
        return List.of();
    }

    private List<SessionEffect> onHello(ClientMessage.Hello hello) {
        if (!(phase instanceof AwaitingHello)) {
            return refuse(ErrorCode.ALREADY_HELLO, "hello was already received on this connection");
        }
        if (hello.version() != ClientMessageDecoder.PROTOCOL_VERSION) {
            refusals.refused(ErrorCode.UNSUPPORTED_VERSION);
            phase = new Closed();
            return List.of(
                    SessionEffect.Send.essential(ServerMessages.error(ErrorCode.UNSUPPORTED_VERSION,
                            "protocol version " + hello.version() + " is not supported; this server speaks "
                                    + ClientMessageDecoder.PROTOCOL_VERSION)),
                    new SessionEffect.Close(1002, "unsupported protocol version"));
        }
        List<SessionEffect> effects = new ArrayList<>(2);
        String resumeId = null;
        if (hello.resume() != null) {
            resumeId = tokens.verify(hello.resume()).orElse(null);
            if (resumeId == null) {
                effects.addAll(refuse(ErrorCode.BAD_RESUME, "resume token is not valid; joining as a new player"));
            }
        }
        phase = new Attaching(new ArrayList<>(), resumeId != null);
        effects.add(new SessionEffect.Forward(new ToNode.Attach(connectionId, hello.name(), resumeId)));
        return effects;
    }

    private List<SessionEffect> onInput(ClientMessage.Input input, long nowNanos) {
        if (phase instanceof AwaitingHello) {
            return refuse(ErrorCode.HELLO_REQUIRED, "send hello before anything else");
        }
        List<SessionEffect> limited = overRate(nowNanos);
        if (limited != null) {
            return limited;
        }
        if (phase instanceof Attaching attaching) {
            if (attaching.pending().size() >= pendingLimit) {
                return refuse(ErrorCode.OVERLOADED, "still joining; wait for welcome before sending more inputs");
            }
            attaching.pending().add(input);
            return List.of();
        }
        return accept(playerId(), input);
    }

    /**
     * An echo goes to the simulation of the player's owning node, so it needs a player, and it counts against the
     * input rate: it costs the simulation thread as much as an input does.
     */
    private List<SessionEffect> onEcho(ClientMessage.Echo echo, long nowNanos) {
        if (!(phase instanceof Playing)) {
            return refuse(ErrorCode.HELLO_REQUIRED, "an echo goes to the player's node: wait for the welcome");
        }
        List<SessionEffect> limited = overRate(nowNanos);
        return limited != null ? limited : List.of(new SessionEffect.Forward(new ToNode.Echo(echo.id())));
    }

    /** What to do about a message the input rate does not admit, or null when it admits it. */
    private List<SessionEffect> overRate(long nowNanos) {
        return switch (rate.admit(nowNanos)) {
            case ACCEPT -> null;
            case WARN_AND_DROP -> refuse(ErrorCode.RATE_LIMITED, "too many inputs: the limit is " + inputsPerSecond
                    + " per second; keep on and the connection is closed");
            case DROP -> List.of();
            case CLOSE -> {
                refusals.refused(ErrorCode.RATE_LIMITED);
                yield List.of(new SessionEffect.Close(1008, "input rate limit exceeded"));
            }
        };
    }

    private List<SessionEffect> accept(String playerId, ClientMessage.Input input) {
        if (input.seq() <= lastSeq) {
            return refuse(ErrorCode.STALE_SEQ, "seq " + input.seq() + " is not greater than " + lastSeq);
        }
        lastSeq = input.seq();
        return List.of(new SessionEffect.Forward(new ToNode.Input(playerId, input)));
    }

    private List<SessionEffect> refuse(ErrorCode code, String message) {
        refusals.refused(code);
        return List.of(SessionEffect.Send.reply(ServerMessages.error(code, message)));
    }
}
