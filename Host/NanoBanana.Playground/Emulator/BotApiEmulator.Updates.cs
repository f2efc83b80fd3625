using System.Text;
using System.Text.RegularExpressions;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NanoBanana.Playground.Emulator;

/// <summary>Update delivery: getUpdates long polling, or webhook POSTs when a webhook is set.</summary>
internal sealed partial class BotApiEmulator
{
    public const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretTokenPattern();

    public async Task<Update[]> GetUpdates(BotApiArgs args, CancellationToken cancellationToken)
    {
        var offset = args.Long("offset") ?? 0;
        var limit = Math.Clamp(args.Int("limit") ?? 100, 1, 100);
        var timeout = Math.Clamp(args.Int("timeout") ?? 0, 0, 50);
        long generation;
        lock (_gate)
        {
            if (_webhook is not null)
            {
                throw new BotApiException(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
            }

            if (args.Json("allowed_updates", JsonBotSerializerContext.Default.UpdateTypeArray) is { } allowed)
            {
                _allowedUpdates = [.. allowed];
            }

            _pending.RemoveAll(p => p.Update.Id < offset && p.RemainingDeliveries <= 0);
            generation = ++_pollGeneration;
            Signal.Pulse();
        }

        Interlocked.Increment(ref _activePolls);
        try
        {
            var batch = await Signal.WaitFor(() => TakeBatch(offset, limit, generation), TimeSpan.FromSeconds(timeout), cancellationToken);
            return batch ?? [];
        }
        finally
        {
            Interlocked.Decrement(ref _activePolls);
        }
    }

    private Update[]? TakeBatch(long offset, int limit, long generation)
    {
        lock (_gate)
        {
            if (generation != _pollGeneration)
            {
                throw new BotApiException(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
            }

            var batch = _pending.Where(p => p.Update.Id >= offset || p.RemainingDeliveries > 0).Take(limit).ToList();
            if (batch.Count == 0)
            {
                return null;
            }

            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var pending in batch)
            {
                pending.RemainingDeliveries = Math.Max(0, pending.RemainingDeliveries - 1);
                pending.Carries?.DeliveredAt ??= now;
            }

            return [.. batch.Select(p => p.Update)];
        }
    }

    public bool SetWebhook(BotApiArgs args)
    {
        var url = args.String("url") ?? "";
        var secret = args.String("secret_token");
        if (secret is not null && !SecretTokenPattern().IsMatch(secret))
        {
            throw BotApiException.BadRequest("secret token contains unallowed characters");
        }

        // Telegram requires HTTPS on ports 443/80/88/8443; the playground also accepts plain http for loopback bots.
        if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            throw BotApiException.BadRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }

        var maxConnections = args.Int("max_connections") ?? 40;
        if (maxConnections is < 1 or > 100)
        {
            throw BotApiException.BadRequest("bad webhook: max_connections must be 1-100");
        }

        lock (_gate)
        {
            if (args.Json("allowed_updates", JsonBotSerializerContext.Default.UpdateTypeArray) is { } allowed)
            {
                _allowedUpdates = [.. allowed];
            }

            if (args.Bool("drop_pending_updates"))
            {
                _pending.Clear();
            }

            _webhook = url.Length == 0 ? null : new WebhookState { Url = url, SecretToken = secret, MaxConnections = maxConnections };
            _pollGeneration++;
            Changed();
        }

        return true;
    }

    public bool DeleteWebhook(BotApiArgs args)
    {
        lock (_gate)
        {
            if (args.Bool("drop_pending_updates"))
            {
                _pending.Clear();
            }

            _webhook = null;
            Changed();
        }

        return true;
    }

    public WebhookInfo GetWebhookInfo()
    {
        lock (_gate)
        {
            return new WebhookInfo
            {
                Url = _webhook?.Url ?? "",
                PendingUpdateCount = _pending.Count,
                LastErrorDate = _webhook?.LastErrorDate,
                LastErrorMessage = _webhook?.LastErrorMessage,
                MaxConnections = _webhook?.MaxConnections,
                AllowedUpdates = _allowedUpdates is null ? null : [.. _allowedUpdates],
            };
        }
    }

    /// <summary>Posts pending updates in order to the webhook; a non-2xx answer is retried with backoff.</summary>
    public async Task RunWebhookDelivery(CancellationToken stopping)
    {
        var http = httpClients.CreateClient("webhook");
        var backoff = TimeSpan.FromMilliseconds(100);
        while (!stopping.IsCancellationRequested)
        {
            var changed = Signal.Changed;
            (WebhookState Hook, PendingUpdate Update)? next;
            lock (_gate)
            {
                next = _webhook is { } hook && _pending.Count > 0 ? (hook, _pending[0]) : null;
            }

            if (next is not { } work)
            {
                try
                {
                    await changed.WaitAsync(stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            string? error;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, work.Hook.Url)
                {
                    Content = new StringContent(Serialize(work.Update.Update), Encoding.UTF8, "application/json"),
                };
                if (work.Hook.SecretToken is { } secret)
                {
                    request.Headers.Add(SecretTokenHeader, secret);
                }

                using var response = await http.SendAsync(request, stopping);
                error = response.IsSuccessStatusCode ? null : $"Wrong response from the webhook: {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                error = "Connection refused or timed out";
            }

            lock (_gate)
            {
                if (error is null)
                {
                    work.Update.Carries?.DeliveredAt ??= System.Diagnostics.Stopwatch.GetTimestamp();
                    if (--work.Update.RemainingDeliveries <= 0)
                    {
                        _pending.Remove(work.Update);
                    }

                    backoff = TimeSpan.FromMilliseconds(100);
                }
                else
                {
                    work.Hook.LastErrorDate = Now;
                    work.Hook.LastErrorMessage = error;
                }

                Changed();
            }

            if (error is not null)
            {
                logger.LogDebug("Webhook delivery of update {UpdateId} failed: {Error}", work.Update.Update.Id, error);
                try
                {
                    await Task.Delay(backoff, clock, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }
}
