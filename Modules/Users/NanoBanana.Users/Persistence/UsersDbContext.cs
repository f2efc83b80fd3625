using Microsoft.EntityFrameworkCore;
using NanoBanana.BuildingBlocks.Messaging;
using NanoBanana.Users.Domain;

namespace NanoBanana.Users.Persistence;

internal sealed class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options)
{
    public const string Schema = "users";

    public DbSet<User> Users => Set<User>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasColumnName("id").ValueGeneratedNever();
            user.Property(u => u.Username).HasColumnName("username");
            user.Property(u => u.FirstName).HasColumnName("first_name");
            user.Property(u => u.LastName).HasColumnName("last_name");
            user.Property(u => u.LanguageCode).HasColumnName("language_code");
            user.Property(u => u.IsPremium).HasColumnName("is_premium");
            user.Property(u => u.FirstSeenAt).HasColumnName("first_seen_at");
            user.Property(u => u.LastSeenAt).HasColumnName("last_seen_at");
            user.Property(u => u.BlockedBot).HasColumnName("blocked_bot");
            user.Property(u => u.Banned).HasColumnName("banned");
            user.Property(u => u.BanReason).HasColumnName("ban_reason");
            user.Property(u => u.Roles).HasColumnName("roles");
            user.Property(u => u.PreferredImageModel).HasColumnName("preferred_image_model");
            user.Property(u => u.PreferredVideoModel).HasColumnName("preferred_video_model");
            user.Property(u => u.AspectRatio).HasColumnName("aspect_ratio");
            user.Property(u => u.InterfaceLanguage).HasColumnName("interface_language");
            user.Property(u => u.ReferralCode).HasColumnName("referral_code");
            user.Property(u => u.ReferrerId).HasColumnName("referrer_id");
        });
        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("api_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasColumnName("id");
            key.Property(k => k.Name).HasColumnName("name");
            key.Property(k => k.Role).HasColumnName("role");
            key.Property(k => k.KeyHash).HasColumnName("key_hash");
            key.Property(k => k.CreatedAt).HasColumnName("created_at");
            key.Property(k => k.RevokedAt).HasColumnName("revoked_at");
        });
        modelBuilder.AddOutbox();
    }
}
