using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace NanoBanana.Billing.Persistence.Migrations;

/// <summary>
/// Reserve and the close of a hold (capture or release) as PL/pgSQL functions (ADR 0205): each is one statement, so one round trip that
/// commits by itself, with the plans of its statements cached by the backend. They take the same locks in the same
/// order (hold, then account), read the idempotency record under them, decide as the C# did and write the hold, the
/// grants' shares, the ledger entries and the record. Entry kinds are the numbers of the contract's EntryKind.
/// The stored first response is protobuf like every other record's: the caller passes what it knows before the
/// locks, the function appends the fields only it knows (a protobuf parser merges fields in any order).
/// </summary>
[DbContext(typeof(BillingDbContext))]
[Migration("20261207000205_HoldFunctions")]
internal sealed class HoldFunctions : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            -- Protobuf wire format for the responses the functions record: a varint, an int64 field, a Balance field
            -- (PL/pgSQL: its plans stay cached in the session, where SQL functions that cannot be inlined plan every call).
            CREATE FUNCTION billing.pb_varint(value bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            DECLARE
                encoded bytea := '';
            BEGIN
                IF value < 0 THEN
                    RAISE EXCEPTION 'billing.pb_varint encodes non-negative values only, not %', value;
                END IF;
                WHILE value >= 128 LOOP
                    encoded := encoded || set_byte('\x00'::bytea, 0, ((value & 127) | 128)::int);
                    value := value >> 7;
                END LOOP;
                RETURN encoded || set_byte('\x00'::bytea, 0, value::int);
            END $$;

            CREATE FUNCTION billing.pb_int64(field int, value bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            BEGIN
                RETURN CASE WHEN value = 0 THEN ''::bytea ELSE billing.pb_varint(field::bigint << 3) || billing.pb_varint(value) END;
            END $$;

            CREATE FUNCTION billing.pb_balance(field int, available bigint, reserved bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
            DECLARE
                body bytea := billing.pb_int64(1, available) || billing.pb_int64(2, reserved);
            BEGIN
                RETURN billing.pb_varint((field::bigint << 3) | 2) || billing.pb_varint(length(body)) || body;
            END $$;

            -- The account's new balance and its ledger entry (the caller holds the account's row lock). A procedure: a
            -- CALL answers no rows, so the C# side defers it in a batch like any other write.
            CREATE PROCEDURE billing.append_entry(
                p_user bigint, p_available bigint, p_reserved bigint, p_kind int, p_amount bigint, p_hold uuid,
                p_reference text, p_key text, p_actor text, p_now timestamptz) LANGUAGE sql AS $$
                WITH account AS (
                    UPDATE billing.accounts SET available = p_available, reserved = p_reserved, version = version + 1, updated_at = p_now
                    WHERE user_id = p_user)
                INSERT INTO billing.ledger (user_id, kind, amount, available_after, reserved_after, hold_id, reference, idempotency_key, actor, created_at)
                VALUES (p_user, p_kind, p_amount, p_available, p_reserved, p_hold, p_reference, p_key, p_actor, p_now)
            $$;

            -- A closed hold's shares of expiring credits: the spent part comes from the grants first, the rest goes back
            -- to live grants; returns what belongs to grants that expired meanwhile (back in available, to expire now).
            CREATE FUNCTION billing.give_back(p_hold uuid, p_spent bigint) RETURNS bigint LANGUAGE plpgsql AS $$
            DECLARE
                share record;
                kept bigint;
                back bigint;
                expired bigint := 0;
            BEGIN
                FOR share IN
                    SELECT s.grant_id, s.amount, g.expired_at IS NOT NULL AS grant_expired
                    FROM billing.hold_grants s JOIN billing.credit_grants g ON g.id = s.grant_id
                    WHERE s.hold_id = p_hold ORDER BY g.expires_at, g.id
                LOOP
                    kept := least(share.amount, p_spent);
                    p_spent := p_spent - kept;
                    back := share.amount - kept;
                    IF back > 0 AND share.grant_expired THEN
                        expired := expired + back;
                    ELSIF back > 0 THEN
                        UPDATE billing.credit_grants SET remaining = remaining + back WHERE id = share.grant_id;
                    END IF;
                END LOOP;
                RETURN expired;
            END $$;

            -- The key's record, if any: 'replay' with its response when it was written for p_fingerprint, else 'key_conflict'.
            CREATE FUNCTION billing.recorded(p_key text, p_fingerprint text, OUT outcome text, OUT response bytea) LANGUAGE plpgsql AS $$
            DECLARE
                recorded_fingerprint text;
            BEGIN
                SELECT i.fingerprint, i.response INTO recorded_fingerprint, response FROM billing.idempotency i WHERE i.key = p_key;
                IF FOUND THEN
                    outcome := CASE WHEN recorded_fingerprint = p_fingerprint THEN 'replay' ELSE 'key_conflict' END;
                END IF;
            END $$;

            -- Outcomes: 'replay' (the key's record, same arguments), 'key_conflict' (other arguments), 'insufficient'
            -- (nothing written, the key stays unused), 'reserved'.
            CREATE FUNCTION billing.reserve(
                p_user bigint, p_amount bigint, p_key text, p_fingerprint text, p_hold uuid, p_expires_at timestamptz,
                p_purpose text, p_reference text, p_actor text, p_now timestamptz, p_response bytea)
            RETURNS TABLE (outcome text, hold_amount bigint, hold_status text, balance_available bigint, balance_reserved bigint, recorded_response bytea)
            LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO billing.accounts (user_id, available, reserved, version, updated_at) VALUES (p_user, 0, 0, 0, p_now)
                ON CONFLICT (user_id) DO NOTHING;
                SELECT a.available, a.reserved INTO balance_available, balance_reserved FROM billing.accounts a WHERE a.user_id = p_user FOR UPDATE;
                SELECT r.outcome, r.response INTO outcome, recorded_response FROM billing.recorded(p_key, p_fingerprint) r;
                IF outcome IS NOT NULL THEN
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
                INSERT INTO billing.holds (id, user_id, amount, status, expires_at, purpose, reference, idempotency_key, created_at)
                VALUES (p_hold, p_user, p_amount, hold_status, p_expires_at, p_purpose, p_reference, p_key, p_now);
                -- Expiring credits go first, soonest expiry first; the hold remembers its share of each grant.
                WITH live AS (
                    SELECT id, remaining, sum(remaining) OVER (ORDER BY expires_at, id) - remaining AS before
                    FROM billing.credit_grants WHERE user_id = p_user AND expired_at IS NULL AND remaining > 0),
                shares AS (
                    SELECT id, least(remaining, p_amount - before) AS take FROM live WHERE before < p_amount),
                taken AS (
                    UPDATE billing.credit_grants g SET remaining = g.remaining - s.take FROM shares s WHERE g.id = s.id RETURNING g.id, s.take)
                INSERT INTO billing.hold_grants (hold_id, grant_id, amount) SELECT p_hold, id, take FROM taken;
                balance_available := balance_available - p_amount;
                balance_reserved := balance_reserved + p_amount;
                CALL billing.append_entry(p_user, balance_available, balance_reserved, 10 /* Hold */, 0, p_hold, p_reference, p_key, p_actor, p_now);
                INSERT INTO billing.idempotency (key, fingerprint, response, created_at)
                VALUES (p_key, p_fingerprint, p_response || billing.pb_balance(2, balance_available, balance_reserved), p_now);
                outcome := 'reserved';
                RETURN NEXT;
            END $$;

            -- Closes a hold: a capture (p_amount not null) spends p_amount of it (zero: all of it) and gives the rest back,
            -- a release (p_amount null; p_expired: the sweeper's) gives it all back. Entries: a capture entry for the spent
            -- part, a release entry (key p_release_key) for the part given back, an expiry entry for given-back credits
            -- whose grant has expired. Outcomes: 'not_found', 'too_much' (more than the hold), 'replay', 'key_conflict',
            -- 'not_open', 'closed'.
            CREATE FUNCTION billing.close_hold(
                p_hold uuid, p_amount bigint, p_reason text, p_expired boolean, p_key text, p_release_key text, p_actor text, p_now timestamptz)
            RETURNS TABLE (outcome text, hold_amount bigint, hold_status text, balance_available bigint, balance_reserved bigint, recorded_response bytea)
            LANGUAGE plpgsql AS $$
            DECLARE
                hold_user bigint;
                hold_reference text;
                expected_fingerprint text;
                spent bigint;
                rest bigint;
                expired bigint;
            BEGIN
                SELECT h.user_id, h.amount, h.status, h.reference INTO hold_user, hold_amount, hold_status, hold_reference
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

                -- A whole capture keeps the fingerprint it always had, so records written before partial captures still replay.
                expected_fingerprint := CASE WHEN p_amount IS NULL THEN 'release' WHEN p_amount IN (0, hold_amount) THEN 'capture' ELSE 'capture|' || p_amount END;
                SELECT r.outcome, r.response INTO outcome, recorded_response FROM billing.recorded(p_key, expected_fingerprint) r;
                IF outcome IS NOT NULL THEN
                    RETURN NEXT;
                    RETURN;
                END IF;

                IF hold_status <> 'open' THEN
                    outcome := 'not_open';
                    RETURN NEXT;
                    RETURN;
                END IF;

                spent := CASE WHEN p_amount IS NULL THEN 0 WHEN p_amount = 0 THEN hold_amount ELSE p_amount END;
                rest := hold_amount - spent;
                UPDATE billing.holds
                SET status = CASE WHEN p_amount IS NOT NULL THEN 'captured' WHEN p_expired THEN 'expired' ELSE 'released' END,
                    captured = CASE WHEN p_amount IS NOT NULL THEN spent END, closed_at = p_now, close_reason = p_reason
                WHERE id = p_hold;
                IF spent > 0 THEN
                    balance_reserved := balance_reserved - spent;
                    CALL billing.append_entry(hold_user, balance_available, balance_reserved, 11 /* Capture */, -spent, p_hold, hold_reference, p_key, p_actor, p_now);
                END IF;

                IF rest > 0 THEN
                    balance_available := balance_available + rest;
                    balance_reserved := balance_reserved - rest;
                    CALL billing.append_entry(hold_user, balance_available, balance_reserved, 12 /* Release */, 0, p_hold, hold_reference, p_release_key, p_actor, p_now);
                END IF;

                expired := billing.give_back(p_hold, spent);
                IF expired > 0 THEN
                    balance_available := balance_available - expired;
                    CALL billing.append_entry(hold_user, balance_available, balance_reserved, 40 /* PlanCreditsExpired */, -expired, p_hold, hold_reference, p_release_key || ':expired', p_actor, p_now);
                END IF;

                -- CaptureResponse {balance = 1, captured = 2, released = 40}; ReleaseResponse {balance = 1, released = 2}.
                INSERT INTO billing.idempotency (key, fingerprint, response, created_at)
                VALUES (p_key, expected_fingerprint, billing.pb_balance(1, balance_available, balance_reserved)
                    || CASE WHEN p_amount IS NULL THEN billing.pb_int64(2, rest) ELSE billing.pb_int64(2, spent) || billing.pb_int64(40, rest) END, p_now);
                outcome := 'closed';
                RETURN NEXT;
            END $$;
            """);
    }
}
