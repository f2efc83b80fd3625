using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>
/// Replaces <c>billing.reserve</c> and <c>billing.close_hold</c> (ADR 0220; they were ADR 0205's) with versions that run
/// fewer statements for the same decisions under the same locks: the writes of a reserve (hold, grant shares, balance,
/// ledger entry, key record) are one statement, a close's (hold, balance, its one to three entries) another, without a
/// CALL of <c>billing.append_entry</c> (a SQL procedure, planned anew on every call) or of <c>billing.recorded</c>; an
/// existing account is locked without the insert that creates a new one. A close writes no idempotency record: the
/// hold row answers its repeat (a release of a released or expired hold, a capture of the amount it captured) with the
/// balance its last entry recorded, which is what the record said; closes recorded before keep their records unread.
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261207000220_LighterHoldFunctions")]
internal sealed class LighterHoldFunctions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP FUNCTION billing.recorded(text, text);

            -- Outcomes: 'replay' (the key's record, same arguments), 'key_conflict' (other arguments), 'insufficient'
            -- (nothing written, the key stays unused), 'reserved'.
            CREATE OR REPLACE FUNCTION billing.reserve(
                p_user bigint, p_amount bigint, p_key text, p_fingerprint text, p_hold uuid, p_expires_at timestamptz,
                p_purpose text, p_reference text, p_actor text, p_now timestamptz, p_response bytea)
            RETURNS TABLE (outcome text, hold_amount bigint, hold_status text, balance_available bigint, balance_reserved bigint, recorded_response bytea)
            LANGUAGE plpgsql AS $$
            BEGIN
                SELECT a.available, a.reserved INTO balance_available, balance_reserved FROM billing.accounts a WHERE a.user_id = p_user FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO billing.accounts (user_id, available, reserved, version, updated_at) VALUES (p_user, 0, 0, 0, p_now)
                    ON CONFLICT (user_id) DO NOTHING;
                    SELECT a.available, a.reserved INTO balance_available, balance_reserved FROM billing.accounts a WHERE a.user_id = p_user FOR UPDATE;
                END IF;

                SELECT CASE WHEN i.fingerprint = p_fingerprint THEN 'replay' ELSE 'key_conflict' END, i.response INTO outcome, recorded_response
                FROM billing.idempotency i WHERE i.key = p_key;
                IF FOUND THEN
                    RETURN NEXT;
                    RETURN;
                END IF;

                IF balance_available < p_amount THEN
                    outcome := 'insufficient';
                    RETURN NEXT;
                    RETURN;
                END IF;

                hold_amount := p_amount;
                hold_status := 'open';
                balance_available := balance_available - p_amount;
                balance_reserved := balance_reserved + p_amount;
                -- One statement writes it all: the hold, its shares of expiring credits (soonest expiry first), the balance,
                -- the ledger entry and the key's record.
                WITH hold AS (
                    INSERT INTO billing.holds (id, user_id, amount, status, expires_at, purpose, reference, idempotency_key, created_at)
                    VALUES (p_hold, p_user, p_amount, hold_status, p_expires_at, p_purpose, p_reference, p_key, p_now)),
                live AS (
                    SELECT id, remaining, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                    FROM billing.credit_grants WHERE user_id = p_user AND expired_at IS NULL AND remaining > 0),
                shares AS (
                    SELECT id, least(remaining, p_amount - before) AS take FROM live WHERE before < p_amount),
                taken AS (
                    UPDATE billing.credit_grants g SET remaining = g.remaining - s.take FROM shares s WHERE g.id = s.id RETURNING g.id, s.take),
                hold_shares AS (
                    INSERT INTO billing.hold_grants (hold_id, grant_id, amount) SELECT p_hold, id, take FROM taken),
                account AS (
                    UPDATE billing.accounts SET available = balance_available, reserved = balance_reserved, version = version + 1, updated_at = p_now
                    WHERE user_id = p_user),
                entry AS (
                    INSERT INTO billing.ledger (user_id, kind, amount, available_after, reserved_after, hold_id, reference, idempotency_key, actor, created_at)
                    VALUES (p_user, 10 /* Hold */, 0, balance_available, balance_reserved, p_hold, p_reference, p_key, p_actor, p_now))
                INSERT INTO billing.idempotency (key, fingerprint, response, created_at)
                VALUES (p_key, p_fingerprint, p_response || billing.pb_balance(2, balance_available, balance_reserved), p_now);
                outcome := 'reserved';
                RETURN NEXT;
            END $$;

            -- Closes a hold: a capture (p_amount not null) spends p_amount of it (zero: all of it) and gives the rest back,
            -- a release (p_amount null; p_expired: the sweeper's) gives it all back. Entries: a capture entry for the spent
            -- part, a release entry (key p_release_key) for the part given back, an expiry entry for given-back credits
            -- whose grant has expired. Outcomes: 'not_found', 'too_much' (more than the hold), 'replay', 'key_conflict',
            -- 'not_open', 'closed'. The hold row answers a repeat (its status, its captured amount; the balance is its
            -- last entry's), so a close writes no idempotency record.
            CREATE OR REPLACE FUNCTION billing.close_hold(
                p_hold uuid, p_amount bigint, p_reason text, p_expired boolean, p_key text, p_release_key text, p_actor text, p_now timestamptz)
            RETURNS TABLE (outcome text, hold_amount bigint, hold_status text, balance_available bigint, balance_reserved bigint, recorded_response bytea)
            LANGUAGE plpgsql AS $$
            DECLARE
                hold_user bigint;
                hold_reference text;
                hold_captured bigint;
                spent bigint;
                rest bigint;
                expired bigint;
            BEGIN
                SELECT h.user_id, h.amount, h.status, h.reference, h.captured INTO hold_user, hold_amount, hold_status, hold_reference, hold_captured
                FROM billing.holds h WHERE h.id = p_hold FOR UPDATE;
                IF NOT FOUND THEN
                    outcome := 'not_found';
                    RETURN NEXT;
                    RETURN;
                END IF;

                SELECT a.available, a.reserved INTO balance_available, balance_reserved FROM billing.accounts a WHERE a.user_id = hold_user FOR UPDATE;
                IF p_amount > hold_amount THEN
                    outcome := 'too_much';
                    RETURN NEXT;
                    RETURN;
                END IF;

                spent := CASE WHEN p_amount IS NULL THEN 0 WHEN p_amount = 0 THEN hold_amount ELSE p_amount END;
                rest := hold_amount - spent;
                IF hold_status <> 'open' THEN
                    -- A release repeats a release (the sweeper's too); a capture repeats a capture of the same amount.
                    IF (p_amount IS NULL AND hold_status IN ('released', 'expired')) OR (p_amount IS NOT NULL AND hold_captured = spent) THEN
                        outcome := 'replay';
                        -- CaptureResponse {balance = 1, captured = 2, released = 40}; ReleaseResponse {balance = 1, released = 2}.
                        SELECT billing.pb_balance(1, l.available_after, l.reserved_after)
                            || CASE WHEN p_amount IS NULL THEN billing.pb_int64(2, rest) ELSE billing.pb_int64(2, spent) || billing.pb_int64(40, rest) END
                        INTO recorded_response
                        FROM billing.ledger l WHERE l.idempotency_key IN (p_key, p_release_key, p_release_key || ':expired') ORDER BY l.id DESC LIMIT 1;
                    ELSIF p_amount IS NOT NULL AND hold_status = 'captured' THEN
                        outcome := 'key_conflict';
                    ELSE
                        outcome := 'not_open';
                    END IF;
                    RETURN NEXT;
                    RETURN;
                END IF;

                expired := billing.give_back(p_hold, spent);
                -- One statement writes the close: the hold, the balance after its last entry, and its entries in order.
                WITH closed AS (
                    UPDATE billing.holds
                    SET status = CASE WHEN p_amount IS NOT NULL THEN 'captured' WHEN p_expired THEN 'expired' ELSE 'released' END,
                        captured = CASE WHEN p_amount IS NOT NULL THEN spent END, closed_at = p_now, close_reason = p_reason
                    WHERE id = p_hold),
                account AS (
                    UPDATE billing.accounts SET available = balance_available + rest - expired, reserved = balance_reserved - hold_amount, version = version + 1, updated_at = p_now
                    WHERE user_id = hold_user)
                INSERT INTO billing.ledger (user_id, kind, amount, available_after, reserved_after, hold_id, reference, idempotency_key, actor, created_at)
                SELECT hold_user, e.kind, e.amount, e.available_after, e.reserved_after, p_hold, hold_reference, e.key, p_actor, p_now
                FROM (VALUES
                    (1, 11 /* Capture */, -spent, balance_available, balance_reserved - spent, p_key),
                    (2, 12 /* Release */, 0, balance_available + rest, balance_reserved - hold_amount, p_release_key),
                    (3, 40 /* PlanCreditsExpired */, -expired, balance_available + rest - expired, balance_reserved - hold_amount, p_release_key || ':expired'))
                    AS e (position, kind, amount, available_after, reserved_after, key)
                WHERE (e.position = 1 AND spent > 0) OR (e.position = 2 AND rest > 0) OR (e.position = 3 AND expired > 0)
                ORDER BY e.position;
                balance_available := balance_available + rest - expired;
                balance_reserved := balance_reserved - hold_amount;
                outcome := 'closed';
                RETURN NEXT;
            END $$;
            """);
    }
}
