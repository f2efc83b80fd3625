using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using NanoBanana.BuildingBlocks.Messaging;

namespace NanoBanana.Users.Persistence.Migrations;

[DbContext(typeof(UsersDbContext))]
[Migration("20261121000001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE SCHEMA IF NOT EXISTS users;
            CREATE TABLE users.users (
                id bigint PRIMARY KEY,
                username text NULL,
                first_name text NOT NULL,
                last_name text NULL,
                language_code text NULL,
                is_premium boolean NOT NULL DEFAULT false,
                first_seen_at timestamptz NOT NULL,
                last_seen_at timestamptz NOT NULL,
                blocked_bot boolean NOT NULL DEFAULT false,
                banned boolean NOT NULL DEFAULT false,
                ban_reason text NULL,
                roles text[] NOT NULL DEFAULT '{}',
                preferred_image_model text NOT NULL DEFAULT '',
                preferred_video_model text NOT NULL DEFAULT '',
                aspect_ratio text NOT NULL DEFAULT '',
                interface_language integer NOT NULL DEFAULT 0,
                referral_code text NOT NULL UNIQUE,
                referrer_id bigint NULL REFERENCES users.users (id),
                CONSTRAINT ck_users_not_self_referred CHECK (referrer_id IS NULL OR referrer_id <> id)
            );
            CREATE INDEX ix_users_username_prefix ON users.users (lower(username) text_pattern_ops);
            CREATE INDEX ix_users_referrer ON users.users (referrer_id) WHERE referrer_id IS NOT NULL;

            CREATE TABLE users.api_keys (
                id uuid PRIMARY KEY,
                name text NOT NULL UNIQUE,
                role integer NOT NULL,
                key_hash bytea NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                revoked_at timestamptz NULL
            );

            -- Secrets the replicas must share, e.g. the session signing key when none is configured.
            CREATE TABLE users.secrets (
                name text PRIMARY KEY,
                value bytea NOT NULL,
                created_at timestamptz NOT NULL
            );
            """);
        migrationBuilder.CreateOutboxTable(UsersDbContext.Schema);
    }
}
