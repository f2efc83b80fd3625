using Ardalis.Result;
using Google.Protobuf;
using NanoBanana.Billing.Contracts.V1;
using NanoBanana.BuildingBlocks.Mediation;
using Xunit;

namespace NanoBanana.Billing.Tests;

public sealed class ConcurrencyTests(BillingHost billing) : IClassFixture<BillingHost>
{
    [Fact]
    public async Task A_thousand_concurrent_reserves_of_10_against_100_let_exactly_10_succeed()
    {
        var user = billing.NewUser();
        await billing.FundAsync(user, 100);

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => billing.AsModule(new ReserveRequest
        {
            UserId = user, Amount = 10, IdempotencyKey = $"burst:{user}:{i}", Purpose = "generation", Reference = $"job-{i}",
        }))));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        Assert.Equal(10, results.Count(r => !r.Value.InsufficientFunds));
        Assert.All(results.Where(r => r.Value.InsufficientFunds), r => Assert.Equal(10, r.Value.Shortfall));
        var balance = await billing.BalanceAsync(user);
        Assert.Equal((0L, 100L), (balance.Available, balance.Reserved));
        await billing.AssertInvariantsAsync();
    }

    /// <summary>
    /// Several clients in parallel, each owning a disjoint set of accounts (so each account sees a
    /// deterministic order and a sequential model predicts every answer), with replays of earlier keys,
    /// keys reused with other arguments, and requests sent twice at the same moment.
    /// </summary>
    [Fact]
    public async Task Seeded_random_interleavings_match_a_sequential_model_and_keep_the_invariant()
    {
        const int clients = 5;
        const int operationsPerClient = 2_000;
        var users = Enumerable.Range(0, 50).Select(_ => billing.NewUser()).ToArray();

        var counts = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() =>
            new ModelClient(billing, 7_919 + client, users.Where((_, i) => i % clients == client).ToArray()).RunAsync(operationsPerClient))));

        Assert.True(counts.Sum() >= 10_000);
        await billing.AssertInvariantsAsync();
        var check = await billing.AsAdmin(new CheckLedgerRequest());
        Assert.Empty(check.Value.Drifts);
        Assert.True(check.Value.AccountsChecked >= 50);
    }

    private sealed class ModelClient(BillingHost billing, int seed, long[] users)
    {
        private readonly Random _random = new(seed);
        private readonly Dictionary<long, (long Available, long Reserved)> _balances = users.ToDictionary(u => u, _ => (0L, 0L));
        private readonly List<ModelHold> _holds = [];
        private readonly List<(IMessage Request, IMessage Response)> _keyed = [];
        private int _sent;

        public async Task<int> RunAsync(int operations)
        {
            for (var i = 0; i < operations; i++)
            {
                var user = users[_random.Next(users.Length)];
                var roll = _random.Next(100);
                var key = $"m{seed}:{i}";
                var acted = roll switch
                {
                    < 25 => await CreditAsync(user, _random.Next(1, 51), key),
                    < 33 => await DebitAsync(user, _random.Next(1, 41), key),
                    < 60 => await ReserveAsync(user, _random.Next(1, 41), key),
                    < 72 => _holds.Count > 0 && await CaptureAsync(_holds[_random.Next(_holds.Count)]),
                    < 84 => _holds.Count > 0 && await ReleaseAsync(_holds[_random.Next(_holds.Count)]),
                    < 94 => _keyed.Count > 0 && await ReplayAsync(_keyed[_random.Next(_keyed.Count)]),
                    _ => _keyed.Count > 0 && await ReuseKeyAsync(user, _keyed[_random.Next(_keyed.Count)].Request),
                };
                if (!acted)
                {
                    await CreditAsync(user, _random.Next(1, 51), key);
                }
            }

            foreach (var user in users)
            {
                var balance = await billing.BalanceAsync(user);
                Assert.Equal(_balances[user], (balance.Available, balance.Reserved));
            }

            return _sent;
        }

        private async Task<bool> CreditAsync(long user, long amount, string key)
        {
            var request = new CreditRequest { UserId = user, Amount = amount, Kind = EntryKind.TopUp, IdempotencyKey = key, Reference = "model" };
            var response = (CreditResponse)await SendAsync(request);
            var (available, reserved) = _balances[user];
            _balances[user] = (available + amount, reserved);
            AssertBalance(user, response.Balance);
            _keyed.Add((request, response));
            return true;
        }

        private async Task<bool> DebitAsync(long user, long amount, string key)
        {
            var request = new DebitRequest { UserId = user, Amount = amount, Kind = EntryKind.AdminDebit, IdempotencyKey = key, Reference = "model" };
            var response = (DebitResponse)await SendAsync(request);
            var (available, reserved) = _balances[user];
            Assert.Equal(available < amount, response.InsufficientFunds);
            if (!response.InsufficientFunds)
            {
                _balances[user] = (available - amount, reserved);
                _keyed.Add((request, response));
            }

            AssertBalance(user, response.Balance);
            return true;
        }

        private async Task<bool> ReserveAsync(long user, long amount, string key)
        {
            var request = new ReserveRequest { UserId = user, Amount = amount, IdempotencyKey = key, Purpose = "generation", Reference = key };
            var response = (ReserveResponse)await SendAsync(request);
            var (available, reserved) = _balances[user];
            Assert.Equal(available < amount, response.InsufficientFunds);
            if (response.InsufficientFunds)
            {
                Assert.Equal(amount - available, response.Shortfall);
            }
            else
            {
                _balances[user] = (available - amount, reserved + amount);
                _holds.Add(new ModelHold(user, amount, response.HoldId));
                _keyed.Add((request, response));
            }

            AssertBalance(user, response.Balance);
            return true;
        }

        private async Task<bool> CaptureAsync(ModelHold hold)
        {
            var result = await SendRawAsync(new CaptureRequest { HoldId = hold.HoldId });
            switch (hold.State)
            {
                case "open":
                    var (available, reserved) = _balances[hold.User];
                    _balances[hold.User] = (available, reserved - hold.Amount);
                    AssertBalance(hold.User, ((CaptureResponse)result.GetValue()!).Balance);
                    hold.State = "captured";
                    hold.FirstResponse = (IMessage)result.GetValue()!;
                    break;
                case "captured":
                    Assert.Equal(hold.FirstResponse, result.GetValue());
                    break;
                default:
                    Assert.Equal(ResultStatus.Conflict, result.Status);
                    break;
            }

            return true;
        }

        private async Task<bool> ReleaseAsync(ModelHold hold)
        {
            var result = await SendRawAsync(new ReleaseRequest { HoldId = hold.HoldId, Reason = "model" });
            switch (hold.State)
            {
                case "open":
                    var (available, reserved) = _balances[hold.User];
                    _balances[hold.User] = (available + hold.Amount, reserved - hold.Amount);
                    AssertBalance(hold.User, ((ReleaseResponse)result.GetValue()!).Balance);
                    hold.State = "released";
                    hold.FirstResponse = (IMessage)result.GetValue()!;
                    break;
                case "released":
                    Assert.Equal(hold.FirstResponse, result.GetValue());
                    break;
                default:
                    Assert.Equal(ResultStatus.Conflict, result.Status);
                    break;
            }

            return true;
        }

        private async Task<bool> ReplayAsync((IMessage Request, IMessage Response) keyed)
        {
            Assert.Equal(keyed.Response, await SendAsync(keyed.Request));
            return true;
        }

        private async Task<bool> ReuseKeyAsync(long user, IMessage request)
        {
            var reused = await SendRawAsync(new CreditRequest { UserId = user, Amount = 1_000, Kind = EntryKind.Refund, IdempotencyKey = KeyOf(request) });
            Assert.Equal(ResultStatus.Conflict, reused.Status);
            return true;
        }

        private void AssertBalance(long user, Balance balance) => Assert.Equal(_balances[user], (balance.Available, balance.Reserved));

        private async Task<IMessage> SendAsync(IMessage request)
        {
            var result = await SendRawAsync(request);
            Assert.True(result.IsSuccess, result.Describe());
            return (IMessage)result.GetValue()!;
        }

        /// <summary>One in ten requests goes out twice at the same moment; both answers must be identical.</summary>
        private async Task<IResult> SendRawAsync(IMessage request)
        {
            _sent++;
            if (_random.Next(10) != 0)
            {
                return await SendOnceAsync(request);
            }

            var first = SendOnceAsync(request);
            var second = SendOnceAsync(request);
            var (a, b) = (await first, await second);
            Assert.Equal(a.Status, b.Status);
            Assert.Equal(a.GetValue(), b.GetValue());
            return a;
        }

        private async Task<IResult> SendOnceAsync(IMessage request) => request switch
        {
            CreditRequest credit => await billing.AsModule(credit),
            DebitRequest debit => await billing.AsModule(debit),
            ReserveRequest reserve => await billing.AsModule(reserve),
            CaptureRequest capture => await billing.AsModule(capture),
            ReleaseRequest release => await billing.AsModule(release),
            _ => throw new InvalidOperationException($"The model does not send {request.Descriptor.Name}."),
        };

        private static string KeyOf(IMessage request) => request switch
        {
            CreditRequest c => c.IdempotencyKey,
            DebitRequest d => d.IdempotencyKey,
            ReserveRequest r => r.IdempotencyKey,
            _ => throw new InvalidOperationException(),
        };
    }

    private sealed class ModelHold(long user, long amount, string holdId)
    {
        public long User { get; } = user;

        public long Amount { get; } = amount;

        public string HoldId { get; } = holdId;

        public string State { get; set; } = "open";

        public IMessage? FirstResponse { get; set; }
    }
}
