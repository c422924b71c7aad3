------------------------------ MODULE Handover ------------------------------
(***************************************************************************)
(* The cross-node handover of Worldmesh (docs/handover.md) under the rules *)
(* of docs/adr/handover-rules.md: one commit point, a compare-and-set in   *)
(* the directory; timeouts that only resolve; epochs that fence; crashes,  *)
(* restarts with reconcile, lease expiry and failover.                     *)
(*                                                                         *)
(* Peer messages and gateway frames are sets of everything ever sent: a    *)
(* message may be delivered any number of times (duplicated), in any      *)
(* order (reordered), or never (lost). Timeouts are steps that may happen  *)
(* at any time. Directory operations are atomic (the store is             *)
(* linearizable).                                                          *)
(*                                                                         *)
(* Variant selects one rule to break: "safe" is the protocol as built and  *)
(* as the rules say; the others are the unsafe designs the rules name.     *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

CONSTANTS
    Nodes,          \* simulation nodes
    Players,        \* players
    Home,           \* the node every player is created on, at epoch 1
    MaxHandovers,   \* handovers (tokens) in the whole run
    MaxFaults,      \* node crashes plus lease lapses in the whole run
    Variant         \* "safe", "adr_commit_timeout", "no_activation_check", "volatile_staged"

ASSUME /\ Home \in Nodes
       /\ MaxHandovers \in Nat /\ MaxFaults \in Nat
       /\ Variant \in {"safe", "adr_commit_timeout", "no_activation_check", "volatile_staged"}

Tokens == 1..MaxHandovers
\* Every epoch a run can reach: one more per handover and per failover; a node whose lease lapsed can be
\* failed over once, and once more after each handover committed to it before it stopped.
Epochs == 1..(1 + MaxHandovers + MaxFaults * (1 + MaxHandovers))
Decisions == {"none", "COMMIT", "ABORT"}
\* SourcePhase, as far as it matters here: DEPARTED and DONE are one "done" (only bookkeeping differs);
\* RESOLVING is not a phase of its own since a resolve is one atomic step.
SrcPhases == {"none", "preparing", "committing", "confirming", "done", "aborted", "fenced"}
\* TargetPhase: CHECKING and ACTIVATING are folded into the steps that read the directory; DISCARDED and
\* DONE are "none": the target forgets a finished token (its memory of recent tokens is bounded and volatile).
TgtPhases == {"none", "reserved", "routing"}
PeerTypes == {"PREPARE", "RESERVED", "COMMIT", "CONFIRMED", "CLEANUP"}
LinkTypes == {"ROUTE", "ACK"}

Rec(n, e) == [node |-> n, epoch |-> e]                 \* an owner record (OwnerRecord)
NoCopy == [st |-> "none", ep |-> 0, acked |-> FALSE]
Copy(st, e, acked) == [st |-> st, ep |-> e, acked |-> acked]
NoTok == [p |-> CHOOSE p \in Players : TRUE, from |-> Home, to |-> Home, e |-> 0]

VARIABLES
    owner,      \* directory: player -> owner record (node, epoch)
    session,    \* directory, session store: player -> epoch of its durable state record
    decision,   \* directory: token -> "none" | "COMMIT" | "ABORT"
    lease,      \* directory: node -> its lease is held
    up,         \* node -> its process runs
    copy,       \* node, volatile: node -> player -> the player in its world (active or frozen, at an epoch)
    tok,        \* token -> the handover it names: player, source, target, source's epoch e
    nTok,       \* tokens used so far
    src,        \* source, volatile: token -> phase at tok[t].from (SourceHandovers)
    tgt,        \* target, volatile: token -> phase at tok[t].to (TargetHandovers)
    net,        \* peer messages ever sent: [type, t]
    link,       \* gateway frames ever sent: [type, p, n, ep]
    gw,         \* gateway: player -> route (node, epoch) (GatewayRoutes)
    faults      \* crashes and lease lapses so far

vars == <<owner, session, decision, lease, up, copy, tok, nTok, src, tgt, net, link, gw, faults>>

Used == 1..nTok
M(type, t) == [type |-> type, t |-> t]
F(type, p, n, e) == [type |-> type, p |-> p, n |-> n, ep |-> e]

TypeOK ==
    /\ owner \in [Players -> [node : Nodes, epoch : Epochs]]
    /\ session \in [Players -> Epochs]
    /\ decision \in [Tokens -> Decisions]
    /\ lease \in [Nodes -> BOOLEAN]
    /\ up \in [Nodes -> BOOLEAN]
    /\ copy \in [Nodes -> [Players ->
                 [st : {"none", "active", "frozen"}, ep : {0} \cup Epochs, acked : BOOLEAN]]]
    /\ tok \in [Tokens -> [p : Players, from : Nodes, to : Nodes, e : {0} \cup Epochs]]
    /\ nTok \in 0..MaxHandovers
    /\ src \in [Tokens -> SrcPhases]
    /\ tgt \in [Tokens -> TgtPhases]
    /\ net \subseteq [type : PeerTypes, t : Used]
    /\ link \subseteq [type : LinkTypes, p : Players, n : Nodes, ep : Epochs]
    /\ gw \in [Players -> [node : Nodes, epoch : Epochs]]
    /\ faults \in 0..MaxFaults

Init ==
    /\ owner = [p \in Players |-> Rec(Home, 1)]          \* createPlayer: (node, 1) and the initial state
    /\ session = [p \in Players |-> 1]
    /\ decision = [t \in Tokens |-> "none"]
    /\ lease = [n \in Nodes |-> TRUE]
    /\ up = [n \in Nodes |-> TRUE]
    /\ copy = [n \in Nodes |-> [p \in Players |-> IF n = Home THEN Copy("active", 1, TRUE) ELSE NoCopy]]
    /\ tok = [t \in Tokens |-> NoTok]
    /\ nTok = 0
    /\ src = [t \in Tokens |-> "none"]
    /\ tgt = [t \in Tokens |-> "none"]
    /\ net = {}
    /\ link = {}
    /\ gw = [p \in Players |-> Rec(Home, 1)]
    /\ faults = 0

-----------------------------------------------------------------------------
(* Effects shared by several steps. *)

\* The directory's commit compare-and-set (rule 1), as InMemoryDirectory.commit answers it.
CasOutcome(t) ==
    IF decision[t] # "none" THEN decision[t]
    ELSE IF owner[tok[t].p] # Rec(tok[t].from, tok[t].e) THEN "NOT_OWNER"
    ELSE "COMMITTED"

\* ... and what it writes when it commits: owner, decision and, in the same atomic step, the frozen state
\* at e+1 in the session store (rule 5). Variant "volatile_staged" leaves the state only in the target's memory.
ApplyCommit(t) ==
    LET h == tok[t] IN
    /\ owner' = [owner EXCEPT ![h.p] = Rec(h.to, h.e + 1)]
    /\ decision' = [decision EXCEPT ![t] = "COMMIT"]
    /\ session' = IF Variant = "volatile_staged" THEN session ELSE [session EXCEPT ![h.p] = h.e + 1]

\* resolve (rule 2): ABORT only if unset, then read it.
Resolved(t) == IF decision[t] = "none" THEN "ABORT" ELSE decision[t]
Resolve(t) == decision' = [decision EXCEPT ![t] = Resolved(t)]

\* The source learns the outcome d of handover t (SourceHandovers.committed / aborted / fenced).
SourceLearns(t, d) ==
    LET h == tok[t] IN
    CASE d \in {"COMMITTED", "COMMIT"} ->                  \* send COMMIT, resent until CONFIRMED: CONFIRMING
              /\ src' = [src EXCEPT ![t] = "confirming"]
              /\ net' = net \cup {M("COMMIT", t)}
              /\ UNCHANGED copy
      [] d = "ABORT" ->                                    \* unfreeze at the same epoch, RELEASE (rule 3): ABORTED
              /\ src' = [src EXCEPT ![t] = "aborted"]
              /\ copy' = [copy EXCEPT ![h.from][h.p].st = "active"]
              /\ UNCHANGED net
      [] d = "NOT_OWNER" ->                                \* fenced: drop the copy without hooks: FENCED
              /\ src' = [src EXCEPT ![t] = "fenced"]
              /\ copy' = [copy EXCEPT ![h.from][h.p] = NoCopy]
              /\ UNCHANGED net

\* The target activates a staged copy: active at e+1, not yet taking input (awaiting the gateway's ACK);
\* CONFIRMED to the source, ROUTE to the gateway: ROUTING.
ActivateNow(t) ==
    LET h == tok[t] IN
    /\ copy' = [copy EXCEPT ![h.to][h.p] = Copy("active", h.e + 1, FALSE)]
    /\ tgt' = [tgt EXCEPT ![t] = "routing"]
    /\ net' = net \cup {M("CONFIRMED", t)}
    /\ link' = link \cup {F("ROUTE", h.p, h.to, h.e + 1)}

\* The target knows COMMIT: rule 4, activate only while the directory says owner = (T, e+1), else drop the
\* staged copy (409 not_owner). Variant "no_activation_check" activates without reading the owner record.
Activate(t) ==
    LET h == tok[t] IN
    IF Variant = "no_activation_check" \/ owner[h.p] = Rec(h.to, h.e + 1)
    THEN ActivateNow(t)
    ELSE /\ tgt' = [tgt EXCEPT ![t] = "none"]
         /\ UNCHANGED <<copy, net, link>>

\* A crash, or a stop after a lapsed lease: the node's volatile state is gone.
Wipe(n) ==
    /\ copy' = [copy EXCEPT ![n] = [p \in Players |-> NoCopy]]
    /\ src' = [t \in Tokens |-> IF t \in Used /\ tok[t].from = n THEN "none" ELSE src[t]]
    /\ tgt' = [t \in Tokens |-> IF t \in Used /\ tok[t].to = n THEN "none" ELSE tgt[t]]

-----------------------------------------------------------------------------
(* The source: SourceHandovers. *)

\* A crossing into a cell of node m: freeze the player (rule 3; HOLD to the gateway keeps its inputs) and
\* send PREPARE with a fresh token. Only an active player whose gateway has ACKed its route here is handed on,
\* one handover at a time.
Start(n, p, m) ==
    /\ up[n] /\ n # m /\ nTok < MaxHandovers
    /\ copy[n][p].st = "active" /\ copy[n][p].acked
    /\ LET t == nTok + 1 IN
       /\ nTok' = t
       /\ tok' = [tok EXCEPT ![t] = [p |-> p, from |-> n, to |-> m, e |-> copy[n][p].ep]]
       /\ copy' = [copy EXCEPT ![n][p].st = "frozen"]
       /\ src' = [src EXCEPT ![t] = "preparing"]
       /\ net' = net \cup {M("PREPARE", t)}
    /\ UNCHANGED <<owner, session, decision, lease, up, tgt, link, gw, faults>>

\* RESERVED: the commit compare-and-set (rule 1). Its request may be lost (not applied) or its answer lost
\* (applied): either way the source is COMMITTING until its commit timeout resolves.
RecvReserved(t) ==
    LET n == tok[t].from IN
    /\ M("RESERVED", t) \in net /\ up[n] /\ src[t] = "preparing"
    /\ \/ /\ src' = [src EXCEPT ![t] = "committing"]                       \* request lost
          /\ UNCHANGED <<owner, session, decision, copy, net>>
       \/ /\ IF CasOutcome(t) = "COMMITTED" THEN ApplyCommit(t)
             ELSE UNCHANGED <<owner, session, decision>>
          /\ \/ /\ src' = [src EXCEPT ![t] = "committing"]                 \* answer lost
                /\ UNCHANGED <<copy, net>>
             \/ SourceLearns(t, CasOutcome(t))                             \* answer read
    /\ UNCHANGED <<lease, up, tok, nTok, tgt, link, gw, faults>>

\* The prepare timeout (PREPARING: also REJECTED, 4xx, unreachable) or the commit timeout (COMMITTING: also a
\* directory error): resolve (rule 2) and do what the decision says. The ABORT the source then sends only makes
\* the target resolve, which its own timeout does anyway, so it is left out; REJECTED likewise.
\* Variant "adr_commit_timeout" (ADR-0002): on the commit timeout the source cleans up, without the directory.
SourceTimeout(t) ==
    LET h == tok[t] IN
    /\ up[h.from] /\ src[t] \in {"preparing", "committing"}
    /\ IF Variant = "adr_commit_timeout" /\ src[t] = "committing"
       THEN /\ src' = [src EXCEPT ![t] = "done"]
            /\ copy' = [copy EXCEPT ![h.from][h.p] = NoCopy]
            /\ UNCHANGED <<decision, net>>
       ELSE /\ Resolve(t)
            /\ SourceLearns(t, Resolved(t))
    /\ UNCHANGED <<owner, session, lease, up, tok, nTok, tgt, link, gw, faults>>

\* CONFIRMED, or CLEANUP (which proves it): drop the frozen copy (onDepart): DEPARTED, then DONE.
RecvConfirmation(t) ==
    LET h == tok[t] IN
    /\ (M("CONFIRMED", t) \in net \/ M("CLEANUP", t) \in net)
    /\ up[h.from] /\ src[t] = "confirming"
    /\ src' = [src EXCEPT ![t] = "done"]
    /\ copy' = [copy EXCEPT ![h.from][h.p] = NoCopy]
    /\ UNCHANGED <<owner, session, decision, lease, up, tok, nTok, tgt, net, link, gw, faults>>

\* Reconcile of a frozen player (rule 11) whose handover committed while the directory has since moved the
\* player past the target (the target lost its staged copy and the player was failed over): no CONFIRMED
\* will come, the state is durable elsewhere; drop the copy. (Not in SourceHandovers yet: it resends COMMIT.)
SourceReconcile(t) ==
    LET h == tok[t] IN
    /\ up[h.from] /\ src[t] = "confirming"
    /\ owner[h.p] # Rec(h.to, h.e + 1)
    /\ src' = [src EXCEPT ![t] = "done"]
    /\ copy' = [copy EXCEPT ![h.from][h.p] = NoCopy]
    /\ UNCHANGED <<owner, session, decision, lease, up, tok, nTok, tgt, net, link, gw, faults>>

-----------------------------------------------------------------------------
(* The target: TargetHandovers (with NodeCore's admission). *)

\* PREPARE for a token not known here: admission (not "here already" or handing it over, rule 10; no other
\* staged copy of the player, BUSY), stage, read the decision: a token that has one is refused (409 decided,
\* rule 4); otherwise RESERVED. (The decision read is folded into this step: CHECKING.) A PREPARE refused or
\* repeated changes nothing.
RecvPrepare(t) ==
    LET h == tok[t] IN
    /\ M("PREPARE", t) \in net /\ up[h.to] /\ tgt[t] = "none"
    /\ decision[t] = "none"
    /\ copy[h.to][h.p].st = "none"
    /\ ~\E u \in Used : tok[u].p = h.p /\ tok[u].to = h.to /\ tgt[u] = "reserved"
    /\ tgt' = [tgt EXCEPT ![t] = "reserved"]
    /\ net' = net \cup {M("RESERVED", t)}
    /\ UNCHANGED <<owner, session, decision, lease, up, copy, tok, nTok, src, link, gw, faults>>

\* COMMIT in RESERVED: read the owner record and activate (rule 4). A repeated COMMIT gets CONFIRMED again.
RecvCommit(t) ==
    LET h == tok[t] IN
    /\ M("COMMIT", t) \in net /\ up[h.to] /\ tgt[t] = "reserved"
    /\ Activate(t)
    /\ UNCHANGED <<owner, session, decision, lease, up, tok, nTok, src, gw, faults>>

\* The commit timeout (or an ABORT from the source): resolve (rule 2); COMMIT activates as above, ABORT
\* drops the staged copy. Variant "adr_commit_timeout" (ADR-0002): the target assumes success and activates.
TargetTimeout(t) ==
    LET h == tok[t] IN
    /\ up[h.to] /\ tgt[t] = "reserved"
    /\ IF Variant = "adr_commit_timeout"
       THEN /\ ActivateNow(t)
            /\ UNCHANGED decision
       ELSE /\ Resolve(t)
            /\ IF Resolved(t) = "COMMIT" THEN Activate(t)
               ELSE /\ tgt' = [tgt EXCEPT ![t] = "none"]
                    /\ UNCHANGED <<copy, net, link>>
    /\ UNCHANGED <<owner, session, lease, up, tok, nTok, src, gw, faults>>

-----------------------------------------------------------------------------
(* The gateway: GatewayRoutes. *)

\* ROUTE: switch only to a higher epoch than the route's (rule 6), ACK either way.
GatewayRoute(p, n, e) ==
    /\ F("ROUTE", p, n, e) \in link
    /\ F("ACK", p, n, e) \notin link
    /\ gw' = IF e > gw[p].epoch THEN [gw EXCEPT ![p] = Rec(n, e)] ELSE gw
    /\ link' = link \cup {F("ACK", p, n, e)}
    /\ UNCHANGED <<owner, session, decision, lease, up, copy, tok, nTok, src, tgt, net, faults>>

\* ACK at the node: the arrived player takes input and may be handed on; the target sends CLEANUP to the
\* source (resent at most 5 times, then given up: its bookkeeping ends here).
RecvAck(p, n, e) ==
    LET ending == {u \in Used : tgt[u] = "routing" /\ tok[u].to = n /\ tok[u].p = p /\ tok[u].e + 1 = e} IN
    /\ F("ACK", p, n, e) \in link /\ up[n]
    /\ copy[n][p].st = "active" /\ copy[n][p].ep = e /\ ~copy[n][p].acked
    /\ copy' = [copy EXCEPT ![n][p].acked = TRUE]
    /\ tgt' = [u \in Tokens |-> IF u \in ending THEN "none" ELSE tgt[u]]
    /\ net' = net \cup {M("CLEANUP", u) : u \in ending}
    /\ UNCHANGED <<owner, session, decision, lease, up, tok, nTok, src, link, gw, faults>>

-----------------------------------------------------------------------------
(* Faults, leases and recovery (rules 11, 12). *)

\* A node crashes: its volatile state is lost; its lease runs until it expires.
Crash(n) ==
    /\ up[n] /\ faults < MaxFaults
    /\ up' = [up EXCEPT ![n] = FALSE]
    /\ faults' = faults + 1
    /\ Wipe(n)
    /\ UNCHANGED <<owner, session, decision, lease, tok, nTok, net, link, gw>>

\* A running node's lease lapses (partitioned from the directory): it runs on, fenced, until it notices.
LeaseLapse(n) ==
    /\ up[n] /\ lease[n] /\ faults < MaxFaults
    /\ lease' = [lease EXCEPT ![n] = FALSE]
    /\ faults' = faults + 1
    /\ UNCHANGED <<owner, session, decision, up, copy, tok, nTok, src, tgt, net, link, gw>>

\* A node that cannot renew its lease stops simulating (rule 12).
Stop(n) ==
    /\ up[n] /\ ~lease[n]
    /\ up' = [up EXCEPT ![n] = FALSE]
    /\ Wipe(n)
    /\ UNCHANGED <<owner, session, decision, lease, tok, nTok, net, link, gw, faults>>

\* The lease (TTL) of a dead node expires.
LeaseExpire(n) ==
    /\ ~up[n] /\ lease[n]
    /\ lease' = [lease EXCEPT ![n] = FALSE]
    /\ UNCHANGED <<owner, session, decision, up, copy, tok, nTok, src, tgt, net, link, gw, faults>>

\* Failover (rule 12): a live node m takes a player whose owner's lease has expired, by the same fenced
\* compare-and-set (dead, e) -> (m, e+1), from the durable record at e, written back at e+1 (rules 5, 6); it
\* activates it and ROUTEs. A node that still holds a copy of the player (a frozen source) does not take it.
Failover(m, p) ==
    LET e == owner[p].epoch IN
    /\ ~lease[owner[p].node] /\ up[m] /\ lease[m]
    /\ copy[m][p].st = "none"
    /\ session[p] = e
    /\ owner' = [owner EXCEPT ![p] = Rec(m, e + 1)]
    /\ session' = [session EXCEPT ![p] = e + 1]
    /\ copy' = [copy EXCEPT ![m][p] = Copy("active", e + 1, FALSE)]
    /\ link' = link \cup {F("ROUTE", p, m, e + 1)}
    /\ UNCHANGED <<decision, lease, up, tok, nTok, src, tgt, net, gw, faults>>

\* Restart, after the old lease expired, with a new lease; reconcile (rule 11): every handover it was part of
\* that has no decision is resolved (ABORT), and every player the directory still names it owner of is taken
\* back as in a failover, (n, e) -> (n, e+1) from the durable record at e.
Restart(n) ==
    LET mine == {p \in Players : owner[p].node = n /\ session[p] = owner[p].epoch} IN
    /\ ~up[n] /\ ~lease[n]
    /\ up' = [up EXCEPT ![n] = TRUE]
    /\ lease' = [lease EXCEPT ![n] = TRUE]
    /\ decision' = [t \in Tokens |->
                      IF t \in Used /\ n \in {tok[t].from, tok[t].to} /\ decision[t] = "none"
                      THEN "ABORT" ELSE decision[t]]
    /\ owner' = [p \in Players |-> IF p \in mine THEN Rec(n, owner[p].epoch + 1) ELSE owner[p]]
    /\ session' = [p \in Players |-> IF p \in mine THEN session[p] + 1 ELSE session[p]]
    /\ copy' = [copy EXCEPT ![n] = [p \in Players |->
                      IF p \in mine THEN Copy("active", owner[p].epoch + 1, FALSE) ELSE NoCopy]]
    /\ link' = link \cup {F("ROUTE", p, n, owner[p].epoch + 1) : p \in mine}
    /\ UNCHANGED <<tok, nTok, src, tgt, net, gw, faults>>

\* A decision record expires (Redis: a TTL of an hour; in memory: the oldest of 2^20 go), assumed only once
\* neither side of its handover still needs it: the source is past COMMITTING, the target holds no reservation.
\* After that a delayed PREPARE passes the decision check; only the activation check (rule 4) then stops it.
ForgetDecision(t) ==
    /\ decision[t] # "none"
    /\ src[t] \notin {"preparing", "committing"} /\ tgt[t] # "reserved"
    /\ decision' = [decision EXCEPT ![t] = "none"]
    /\ UNCHANGED <<owner, session, lease, up, copy, tok, nTok, src, tgt, net, link, gw, faults>>

-----------------------------------------------------------------------------

Next ==
    \/ \E n, m \in Nodes, p \in Players : Start(n, p, m)
    \/ \E t \in Tokens : RecvPrepare(t)
    \/ \E t \in Tokens : RecvReserved(t)
    \/ \E t \in Tokens : SourceTimeout(t)
    \/ \E t \in Tokens : RecvCommit(t)
    \/ \E t \in Tokens : TargetTimeout(t)
    \/ \E t \in Tokens : RecvConfirmation(t)
    \/ \E t \in Tokens : SourceReconcile(t)
    \/ \E t \in Tokens : ForgetDecision(t)
    \/ \E p \in Players, n \in Nodes, e \in Epochs : GatewayRoute(p, n, e)
    \/ \E p \in Players, n \in Nodes, e \in Epochs : RecvAck(p, n, e)
    \/ \E n \in Nodes : Crash(n)
    \/ \E n \in Nodes : LeaseLapse(n)
    \/ \E n \in Nodes : Stop(n)
    \/ \E n \in Nodes : LeaseExpire(n)
    \/ \E n \in Nodes : Restart(n)
    \/ \E m \in Nodes, p \in Players : Failover(m, p)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants (HANDOVER-RULES, "Invariants every test of the handover checks"). *)

ActiveOn(n, p) == up[n] /\ copy[n][p].st = "active"

\* Single owner: at no instant do two nodes both simulate a player at the directory's current epoch. Checked
\* in the stronger form the Java simulator checks, too: a node that simulates a player and holds its lease (so
\* nothing stops it, and it may be routed input) is the owner the directory names, at that epoch. A node whose
\* lease lapsed may simulate at an old epoch until it stops (rule 12): it can write nothing.
SingleOwner ==
    \A p \in Players :
        /\ \A n, m \in Nodes :
              n # m /\ ActiveOn(n, p) /\ ActiveOn(m, p)
                => ~(copy[n][p].ep = owner[p].epoch /\ copy[m][p].ep = owner[p].epoch)
        /\ \A n \in Nodes : ActiveOn(n, p) /\ lease[n] => owner[p] = Rec(n, copy[n][p].ep)

\* No loss: every player is active on its owner, frozen on its owner (the source) with a decision that is not
\* COMMIT (pending, or an ABORT the source has yet to learn), staged on its owner (the target) with the decision
\* COMMIT, or its owner is dead and the session store holds its state at the owner's epoch (rule 12 restores it).
NoLoss ==
    \A p \in Players :
        LET o == owner[p] IN
        \/ ActiveOn(o.node, p) /\ copy[o.node][p].ep = o.epoch
        \/ \E t \in Used : /\ tok[t].p = p /\ tok[t].from = o.node /\ tok[t].e = o.epoch
                         /\ up[o.node] /\ src[t] \in {"preparing", "committing"}
                         /\ copy[o.node][p].st = "frozen" /\ copy[o.node][p].ep = o.epoch
                         /\ decision[t] # "COMMIT"
        \/ \E t \in Used : /\ tok[t].p = p /\ tok[t].to = o.node /\ tok[t].e + 1 = o.epoch
                         /\ up[o.node] /\ tgt[t] = "reserved" /\ decision[t] = "COMMIT"
        \/ (~up[o.node] \/ ~lease[o.node]) /\ session[p] = o.epoch

\* Epochs fence (rule 6): no copy and no gateway route is ahead of the directory.
EpochsFenced ==
    \A p \in Players :
        /\ gw[p].epoch <= owner[p].epoch
        /\ \A n \in Nodes : copy[n][p].st # "none" => copy[n][p].ep <= owner[p].epoch

\* Monotonic epochs (an action property): a player's owner record changes only to the next epoch, by one per
\* committed handover or failover; the session record and the gateway's route never go back.
MonotonicEpochs ==
    [][\A p \in Players :
          /\ owner'[p] = owner[p] \/ owner'[p].epoch = owner[p].epoch + 1
          /\ session'[p] >= session[p]
          /\ gw'[p].epoch >= gw[p].epoch]_vars

-----------------------------------------------------------------------------
(* Termination (liveness): every handover ends, COMMIT or ABORT, on both sides. Under weak fairness for every
   step that is not a fault, a new handover, or an expiry: messages sent are delivered in the end (the senders
   resend), timeouts fire, dead nodes' leases expire, stopped nodes restart, failover happens. *)

InFlight(t) == src[t] \in {"preparing", "committing", "confirming"} \/ tgt[t] \in {"reserved", "routing"}

Termination == \A t \in Tokens : InFlight(t) ~> ~InFlight(t)

Fairness ==
    /\ \A t \in Tokens :
          /\ WF_vars(RecvPrepare(t)) /\ WF_vars(RecvReserved(t)) /\ WF_vars(SourceTimeout(t))
          /\ WF_vars(RecvCommit(t)) /\ WF_vars(TargetTimeout(t)) /\ WF_vars(RecvConfirmation(t))
          /\ WF_vars(SourceReconcile(t))
    /\ \A p \in Players, n \in Nodes, e \in Epochs : WF_vars(GatewayRoute(p, n, e)) /\ WF_vars(RecvAck(p, n, e))
    /\ \A n \in Nodes : WF_vars(Stop(n)) /\ WF_vars(LeaseExpire(n)) /\ WF_vars(Restart(n))
    /\ \A m \in Nodes, p \in Players : WF_vars(Failover(m, p))

LiveSpec == Spec /\ Fairness

=============================================================================
