using System.Text.RegularExpressions;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Payments;

namespace NanoBanana.Playground.Emulator;

/// <summary>
/// Telegram Stars: invoices, the pre-checkout handshake, a wallet per user, refunds, subscriptions (an invoice
/// link with subscription_period; renewals on demand; editUserStarSubscription). Stars (XTR) only.
/// </summary>
internal sealed partial class BotApiEmulator
{
    private const string Stars = "XTR";

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandPattern();

    public Message SendInvoice(BotApiArgs args)
    {
        var invoice = ReadInvoice(args);
        var markup = ParseInlineMarkup(args.String("reply_markup"));
        if (markup is not null && markup.InlineKeyboard.FirstOrDefault()?.FirstOrDefault() is not { Pay: true })
        {
            throw BotApiException.BadRequest("the first button of an invoice keyboard must be a pay button");
        }

        lock (_gate)
        {
            var chat = BotTargetChat(args.ChatId());
            var message = NewMessage(chat, Bot);
            message.Invoice = new Invoice
            {
                Title = invoice.Title, Description = invoice.Description, Currency = invoice.Currency, TotalAmount = invoice.Amount,
                StartParameter = args.String("start_parameter") ?? "",
            };
            Complete(chat, message, args, markup, invoice);
            return message;
        }
    }

    public string CreateInvoiceLink(BotApiArgs args)
    {
        var invoice = ReadInvoice(args);
        if (invoice.SubscriptionPeriod is { } period && period != 2_592_000)
        {
            throw BotApiException.BadRequest("SUBSCRIPTION_PERIOD_INVALID");
        }

        lock (_gate)
        {
            var slug = RandomId(9);
            _invoiceLinks[slug] = invoice;
            return $"{BaseUrl}/invoice/{slug}";
        }
    }

    public bool AnswerPreCheckoutQuery(BotApiArgs args)
    {
        var id = args.RequiredString("pre_checkout_query_id");
        var ok = args.Bool("ok");
        var error = args.String("error_message");
        if (!ok && string.IsNullOrWhiteSpace(error))
        {
            throw BotApiException.BadRequest("error_message is required when ok is false");
        }

        lock (_gate)
        {
            if (!_preCheckouts.Remove(id, out var waiting))
            {
                throw BotApiException.BadRequest("query is too old and response timeout expired or query ID is invalid");
            }

            waiting.TrySetResult(ok ? null : error);
            return true;
        }
    }

    public bool RefundStarPayment(BotApiArgs args)
    {
        var userId = args.Long("user_id") ?? throw BotApiException.BadRequest("user_id is empty");
        var chargeId = args.RequiredString("telegram_payment_charge_id");
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var charge) || charge.UserId != userId)
            {
                throw BotApiException.BadRequest("CHARGE_NOT_FOUND");
            }

            if (charge.Refunded)
            {
                throw BotApiException.BadRequest("CHARGE_ALREADY_REFUNDED");
            }

            charge.Refunded = true;
            var user = _users[userId];
            user.Stars += charge.Invoice.Amount;
            var chat = _chats[userId];
            var message = NewMessage(chat, user.User);
            message.RefundedPayment = new RefundedPayment
            {
                Currency = charge.Invoice.Currency, TotalAmount = charge.Invoice.Amount, InvoicePayload = charge.Invoice.Payload,
                TelegramPaymentChargeId = charge.ChargeId,
            };
            AddMessage(chat, message, fromBot: false);
            Enqueue(new Update { Message = message });
            Changed();
            return true;
        }
    }

    public bool SetMyCommands(BotApiArgs args)
    {
        var commands = args.Json("commands", JsonBotSerializerContext.Default.BotCommandArray) ?? throw BotApiException.BadRequest("commands is empty");
        if (commands.Length > 100 || commands.Any(c => !CommandPattern().IsMatch(c.Command)))
        {
            throw BotApiException.BadRequest("BOT_COMMAND_INVALID");
        }

        if (commands.Any(c => c.Description.Length is < 1 or > 256))
        {
            throw BotApiException.BadRequest("BOT_COMMAND_DESCRIPTION_INVALID");
        }

        lock (_gate)
        {
            _commands[args.String("language_code") ?? ""] = commands;
            Changed();
            return true;
        }
    }

    public bool SetChatMenuButton(BotApiArgs args)
    {
        var button = args.Json("menu_button", JsonBotSerializerContext.Default.MenuButton) ?? new MenuButtonDefault();
        if (button is MenuButtonWebApp webApp && (webApp.Text.Length == 0 || !Uri.TryCreate(webApp.WebApp.Url, UriKind.Absolute, out _)))
        {
            throw BotApiException.BadRequest("BUTTON_URL_INVALID");
        }

        lock (_gate)
        {
            if (args.Long("chat_id") is { } chatId)
            {
                BotTargetChat(chatId).MenuButton = button;
            }
            else
            {
                _defaultMenuButton = button;
            }

            Changed();
            return true;
        }
    }

    /// <summary>
    /// The user pays: pre_checkout_query to the bot, wait for its answer (Telegram's 10 s limit), then
    /// debit the wallet and deliver successful_payment.
    /// </summary>
    public async Task<PaymentOutcome> Pay(long userId, int? messageId, string? invoiceLink, CancellationToken cancellationToken)
    {
        string queryId;
        InvoiceDraft invoice;
        TaskCompletionSource<string?> answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            var user = _users.GetValueOrDefault(userId) ?? throw BotApiException.BadRequest("unknown user");
            invoice = messageId is { } id
                ? _chats[userId].Find(id)?.Invoice ?? throw BotApiException.BadRequest("that message is not an invoice")
                : _invoiceLinks.GetValueOrDefault(invoiceLink?.Split('/').Last() ?? "") ?? throw BotApiException.BadRequest("unknown invoice link");
            if (user.Stars < invoice.Amount)
            {
                return new PaymentOutcome("insufficient_stars", $"The wallet holds {user.Stars} ⭐, the invoice asks {invoice.Amount} ⭐.", null);
            }

            queryId = RandomId(8);
            _preCheckouts[queryId] = answer;
            Enqueue(new Update
            {
                PreCheckoutQuery = new PreCheckoutQuery
                {
                    Id = queryId, From = user.User, Currency = invoice.Currency, TotalAmount = invoice.Amount, InvoicePayload = invoice.Payload,
                },
            });
            Changed();
        }

        string? declined;
        try
        {
            declined = await answer.Task.WaitAsync(options.PreCheckoutTimeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _preCheckouts.Remove(queryId);
            }

            return new PaymentOutcome("timeout", "The bot did not answer the pre-checkout query in time; nothing was charged.", null);
        }

        if (declined is not null)
        {
            return new PaymentOutcome("declined", declined, null);
        }

        lock (_gate)
        {
            var user = _users[userId];
            if (user.Stars < invoice.Amount)
            {
                return new PaymentOutcome("insufficient_stars", "The wallet ran out of Stars during checkout.", null);
            }

            user.Stars -= invoice.Amount;
            var chargeId = $"stxPG{RandomId(16)}";
            var subscription = invoice.SubscriptionPeriod is { } period ? new StarSubscription(chargeId, userId, invoice, Now.AddSeconds(period)) : null;
            return Charged(new Charge(chargeId, userId, invoice) { Subscription = subscription }, first: true);
        }
    }

    /// <summary>
    /// The next period of a subscription, as Telegram bills it: Stars off the wallet and a new successful_payment
    /// (new charge id, same payload, is_recurring, the period's end); no pre-checkout. A subscription the bot
    /// cancelled is not renewed, nor one the wallet cannot pay.
    /// </summary>
    public PaymentOutcome RenewSubscription(long userId, string chargeId)
    {
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var paid) || paid.Subscription is not { } subscription || subscription.UserId != userId)
            {
                throw BotApiException.BadRequest("no subscription of this user was paid with that charge");
            }

            if (subscription.CanceledByBot || subscription.CanceledByUser)
            {
                return new PaymentOutcome("canceled", "This subscription was cancelled; Telegram does not renew it.", null);
            }

            var user = _users[userId];
            if (user.Stars < subscription.Invoice.Amount)
            {
                return new PaymentOutcome("insufficient_stars", $"The wallet holds {user.Stars} ⭐, the renewal asks {subscription.Invoice.Amount} ⭐.", null);
            }

            user.Stars -= subscription.Invoice.Amount;
            subscription.ExpiresAt = subscription.ExpiresAt.AddSeconds(subscription.Invoice.SubscriptionPeriod!.Value);
            return Charged(new Charge($"stxPG{RandomId(16)}", userId, subscription.Invoice) { Subscription = subscription }, first: false);
        }
    }

    /// <summary>
    /// The user acts on their subscription in Telegram, or Telegram fails to charge a renewal (Bot API 10.2): the bot
    /// gets a `subscription` update (BotSubscriptionUpdated) with the state. "canceled" stops renewals and "active"
    /// restarts them (the user's own switch, independent of the bot's); "failed" charges nothing.
    /// </summary>
    public bool ChangeSubscription(long userId, string chargeId, string state)
    {
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var paid) || paid.Subscription is not { } subscription || subscription.UserId != userId)
            {
                throw BotApiException.BadRequest("no subscription of this user was paid with that charge");
            }

            if (state is not ("canceled" or "active" or "failed"))
            {
                throw BotApiException.BadRequest("state is canceled, active or failed");
            }

            if (state != "failed")
            {
                subscription.CanceledByUser = state == "canceled";
            }

            Enqueue(new Update { Subscription = new BotSubscriptionUpdated { User = _users[userId].User, InvoicePayload = subscription.Invoice.Payload, State = state } });
            Changed();
            return true;
        }
    }

    /// <summary>editUserStarSubscription: true stops renewals; false renews again only what the bot itself cancelled.</summary>
    public bool EditUserStarSubscription(BotApiArgs args)
    {
        var userId = args.Long("user_id") ?? throw BotApiException.BadRequest("user_id is empty");
        var chargeId = args.RequiredString("telegram_payment_charge_id");
        var canceled = args.Bool("is_canceled");
        lock (_gate)
        {
            if (!_charges.TryGetValue(chargeId, out var charge) || charge.UserId != userId || charge.Subscription is not { } subscription)
            {
                throw BotApiException.BadRequest("CHARGE_NOT_FOUND");
            }

            if (!canceled && !subscription.CanceledByBot)
            {
                throw BotApiException.BadRequest("SUBSCRIPTION_NOT_CANCELED_BY_BOT");
            }

            subscription.CanceledByBot = canceled;
            Changed();
            return true;
        }
    }

    /// <summary>Records a charge and delivers its successful_payment; under <c>_gate</c>.</summary>
    private PaymentOutcome Charged(Charge charge, bool first)
    {
        _charges[charge.ChargeId] = charge;
        var chat = _chats[charge.UserId];
        var message = NewMessage(chat, _users[charge.UserId].User);
        var invoice = charge.Invoice;
        message.SuccessfulPayment = new SuccessfulPayment
        {
            Currency = invoice.Currency, TotalAmount = invoice.Amount, InvoicePayload = invoice.Payload,
            TelegramPaymentChargeId = charge.ChargeId, ProviderPaymentChargeId = "",
            SubscriptionExpirationDate = charge.Subscription?.ExpiresAt,
            IsRecurring = charge.Subscription is not null,
            IsFirstRecurring = charge.Subscription is not null && first,
        };
        AddMessage(chat, message, fromBot: false);
        Enqueue(new Update { Message = message });
        Changed();
        return new PaymentOutcome("paid", null, charge.ChargeId);
    }

    public int StarsOf(long userId)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault(userId)?.Stars ?? 0;
        }
    }

    public void SetStars(long userId, int stars)
    {
        EnsureUser(userId);
        lock (_gate)
        {
            _users[userId].Stars = stars;
            Changed();
        }
    }

    private static InvoiceDraft ReadInvoice(BotApiArgs args)
    {
        var title = args.RequiredString("title");
        var description = args.RequiredString("description");
        var payload = args.RequiredString("payload");
        var currency = args.RequiredString("currency");
        if (title.Length > 32)
        {
            throw BotApiException.BadRequest("INVOICE_TITLE_INVALID");
        }

        if (description.Length > 255)
        {
            throw BotApiException.BadRequest("INVOICE_DESCRIPTION_INVALID");
        }

        if (Utf8Length(payload) > 128)
        {
            throw BotApiException.BadRequest("INVOICE_PAYLOAD_INVALID");
        }

        if (currency != Stars)
        {
            throw BotApiException.BadRequest("the playground emulates Telegram Stars (XTR) invoices only");
        }

        if (!string.IsNullOrEmpty(args.String("provider_token")))
        {
            throw BotApiException.BadRequest("provider_token must be empty for payments in Telegram Stars");
        }

        var prices = args.Json("prices", JsonBotSerializerContext.Default.LabeledPriceArray) ?? [];
        if (prices.Length != 1 || prices[0].Amount is <= 0 or > int.MaxValue)
        {
            throw BotApiException.BadRequest("STARS_INVOICE_INVALID: exactly one positive price is required");
        }

        return new InvoiceDraft(title, description, payload, currency, (int)prices[0].Amount, args.Int("subscription_period"));
    }
}

/// <summary>Result of a simulated payment: paid, declined, timeout or insufficient_stars.</summary>
internal sealed record PaymentOutcome(string Status, string? ErrorMessage, string? TelegramPaymentChargeId);
