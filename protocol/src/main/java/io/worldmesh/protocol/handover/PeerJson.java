package io.worldmesh.protocol.handover;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.worldmesh.api.CellRef;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The JSON bodies of the node-to-node HTTP API, with ADR-0002's field names ({@code player_id}, {@code from_cell},
 * {@code player_state} with {@code pos, vel, yaw, sequence, session_data, checksum}, {@code handover_token},
 * {@code expires_at}) plus {@code epoch}. Decoding is strict: a missing or mistyped field, an unknown message,
 * or a body over {@link #MAX_BODY_BYTES} is refused with a reason.
 */
public final class PeerJson {

    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(48 * 1024)
                    .maxNumberLength(32).build())
            .build());

    private PeerJson() {
    }

    /** The path a request is posted to: {@code /handover/prepare} and so on. */
    public static String path(PeerRequest r) {
        return "/handover/" + kind(r);
    }

    public static String kind(PeerRequest r) {
        return switch (r) {
            case PeerRequest.Prepare p -> "prepare";
            case PeerRequest.Commit c -> "commit";
            case PeerRequest.Abort a -> "abort";
            case PeerRequest.Cleanup c -> "cleanup";
        };
    }

    public static byte[] encode(PeerRequest r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("player_id", r.playerId());
        o.put("handover_token", r.token());
        switch (r) {
            case PeerRequest.Prepare p -> {
                o.put("source_node", p.sourceNode());
                o.put("target_node", p.targetNode());
                o.put("gateway_id", p.gatewayId());
                o.put("connection_id", p.connectionId());
                cell(o.putObject("from_cell"), p.fromCell());
                cell(o.putObject("to_cell"), p.toCell());
                state(o.putObject("player_state"), p.state());
                o.put("expires_at", Instant.ofEpochMilli(p.expiresAtMillis()).toString());
                o.put("epoch", p.epoch());
            }
            case PeerRequest.Commit c -> o.put("epoch", c.epoch());
            case PeerRequest.Abort a -> { }
            case PeerRequest.Cleanup c -> { }
        }
        return bytes(o);
    }

    /** Decodes the body posted to {@code /handover/KIND}. */
    public static PeerDecoded decode(String kind, byte[] body) {
        if (!List.of("prepare", "commit", "abort", "cleanup").contains(kind)) {
            return new PeerDecoded.Invalid(404, "unknown_message", "no handover message '" + kind + "'");
        }
        if (body.length > MAX_BODY_BYTES) {
            return new PeerDecoded.Invalid(413, "too_large", "the body is over " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode o;
        try {
            o = JSON.readTree(body);
        } catch (java.io.IOException e) {
            return new PeerDecoded.Invalid(400, "malformed", "not JSON: " + firstLine(e.getMessage()));
        }
        if (o == null || !o.isObject()) {
            return new PeerDecoded.Invalid(400, "malformed", "the body must be a JSON object");
        }
        try {
            String player = text(o, "player_id");
            String token = text(o, "handover_token");
            return switch (kind) {
                case "prepare" -> prepare(o, player, token);
                case "commit" -> new PeerDecoded.Ok(new PeerRequest.Commit(player, token, number(o, "epoch")));
                case "abort" -> new PeerDecoded.Ok(new PeerRequest.Abort(player, token));
                case "cleanup" -> new PeerDecoded.Ok(new PeerRequest.Cleanup(player, token));
                default -> new PeerDecoded.Invalid(404, "unknown_message", "no handover message '" + kind + "'");
            };
        } catch (BadField e) {
            return new PeerDecoded.Invalid(400, "bad_field", e.getMessage());
        }
    }

    private static PeerDecoded prepare(JsonNode o, String player, String token) throws BadField {
        JsonNode s = object(o, "player_state");
        JsonNode pos = object(s, "pos");
        JsonNode vel = object(s, "vel");
        JsonNode move = object(s, "move");
        byte[] session;
        try {
            session = Base64.getDecoder().decode(text(s, "session_data"));
        } catch (IllegalArgumentException e) {
            throw new BadField("player_state.session_data is not base64");
        }
        if (session.length > PlayerStateCodec.MAX_SESSION_BYTES) {
            throw new BadField("player_state.session_data is over " + PlayerStateCodec.MAX_SESSION_BYTES + " bytes");
        }
        long expires;
        try {
            expires = Instant.parse(text(o, "expires_at")).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new BadField("expires_at is not an ISO-8601 instant");
        }
        PlayerState state = new PlayerState(player, text(s, "name"), text(s, "color"), real(pos, "x"), real(pos, "z"),
                real(vel, "x"), real(vel, "z"), real(s, "yaw"), real(move, "x"), real(move, "z"),
                number(s, "sequence"), number(s, "applied_inputs"), number(s, "cell_entered_tick"), number(s, "tick"),
                number(o, "epoch"), session);
        PeerRequest.Prepare p = new PeerRequest.Prepare(player, text(o, "source_node"), text(o, "target_node"),
                text(o, "gateway_id"), number(o, "connection_id"), cellOf(o, "from_cell"), cellOf(o, "to_cell"),
                state, token, expires, number(o, "epoch"));
        String given = text(s, "checksum");
        String actual = hex(state.checksum());
        if (!actual.equals(given.toLowerCase(Locale.ROOT))) {
            return new PeerDecoded.BadChecksum(token, "player_state checksum " + given + " != " + actual);
        }
        return new PeerDecoded.Ok(p);
    }

    public static byte[] encode(PeerReply r) {
        ObjectNode o = JSON.createObjectNode();
        switch (r) {
            case PeerReply.Reserved x -> o.put("status", "RESERVED").put("handover_token", x.token());
            case PeerReply.Rejected x -> o.put("status", "REJECTED").put("handover_token", x.token())
                    .put("reason", x.reason().wire()).put("detail", x.detail());
            case PeerReply.Confirmed x -> o.put("status", "CONFIRMED").put("handover_token", x.token())
                    .put("epoch", x.epoch());
            case PeerReply.Aborted x -> o.put("status", "ABORTED").put("handover_token", x.token());
            case PeerReply.CleanedUp x -> o.put("status", "CLEANED_UP").put("handover_token", x.token());
            case PeerReply.Refused x -> o.put("status", "REFUSED").put("code", x.code()).put("reason", x.reason());
        }
        return bytes(o);
    }

    /** The HTTP status a reply goes out with: 2xx for the protocol's answers, the refusal's own otherwise. */
    public static int status(PeerReply r) {
        return r instanceof PeerReply.Refused x ? x.status() : 200;
    }

    /** Decodes a reply; a body that is not one becomes a {@link PeerReply.Refused} with the HTTP status. */
    public static PeerReply decodeReply(int httpStatus, byte[] body) {
        try {
            JsonNode o = JSON.readTree(body);
            String status = text(o, "status");
            return switch (status) {
                case "RESERVED" -> new PeerReply.Reserved(text(o, "handover_token"));
                case "REJECTED" -> new PeerReply.Rejected(text(o, "handover_token"),
                        RejectReason.fromWire(text(o, "reason")), text(o, "detail"));
                case "CONFIRMED" -> new PeerReply.Confirmed(text(o, "handover_token"), number(o, "epoch"));
                case "ABORTED" -> new PeerReply.Aborted(text(o, "handover_token"));
                case "CLEANED_UP" -> new PeerReply.CleanedUp(text(o, "handover_token"));
                case "REFUSED" -> new PeerReply.Refused(httpStatus, text(o, "code"), text(o, "reason"));
                default -> new PeerReply.Refused(httpStatus, "bad_reply", "unknown status " + status);
            };
        } catch (java.io.IOException | BadField | IllegalArgumentException e) {
            return new PeerReply.Refused(httpStatus, "bad_reply", firstLine(String.valueOf(e.getMessage())));
        }
    }

    public static byte[] refusal(int status, String code, String reason) {
        return encode(new PeerReply.Refused(status, code, reason));
    }

    public static String hex(long crc) {
        return HexFormat.of().toHexDigits((int) crc);
    }

    private static void cell(ObjectNode o, CellRef c) {
        o.put("cx", c.cx()).put("cz", c.cz());
    }

    private static void state(ObjectNode o, PlayerState s) {
        o.put("name", s.name()).put("color", s.color());
        o.putObject("pos").put("x", s.x()).put("z", s.z());
        o.putObject("vel").put("x", s.vx()).put("z", s.vz());
        o.putObject("move").put("x", s.moveX()).put("z", s.moveZ());
        o.put("yaw", s.yaw());
        o.put("sequence", s.lastAppliedSeq());
        o.put("applied_inputs", s.appliedInputs());
        o.put("cell_entered_tick", s.cellEnteredTick());
        o.put("tick", s.tick());
        o.put("session_data", Base64.getEncoder().encodeToString(s.sessionData()));
        o.put("checksum", hex(s.checksum()));
    }

    private static byte[] bytes(ObjectNode o) {
        try {
            return JSON.writeValueAsBytes(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A field missing or of the wrong type. */
    private static final class BadField extends Exception {
        BadField(String message) {
            super(message, null, false, false);
        }
    }

    private static JsonNode object(JsonNode o, String name) throws BadField {
        JsonNode v = o.get(name);
        if (v == null || !v.isObject()) {
            throw new BadField(name + " must be an object");
        }
        return v;
    }

    private static String text(JsonNode o, String name) throws BadField {
        JsonNode v = o == null ? null : o.get(name);
        if (v == null || !v.isTextual() || v.textValue().length() > 4096) {
            throw new BadField(name + " must be a string");
        }
        return v.textValue();
    }

    private static long number(JsonNode o, String name) throws BadField {
        JsonNode v = o.get(name);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new BadField(name + " must be an integer");
        }
        return v.longValue();
    }

    private static double real(JsonNode o, String name) throws BadField {
        JsonNode v = o.get(name);
        if (v == null || !v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw new BadField(name + " must be a finite number");
        }
        return v.doubleValue();
    }

    private static CellRef cellOf(JsonNode o, String name) throws BadField {
        JsonNode c = object(o, name);
        long cx = number(c, "cx");
        long cz = number(c, "cz");
        if (cx < 0 || cz < 0 || cx > 1 << 20 || cz > 1 << 20) {
            throw new BadField(name + " is outside any grid");
        }
        return new CellRef((int) cx, (int) cz);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
