using System.Text.Json.Serialization;

namespace NanoBanana.Telegram.Types;

/// <summary>The response envelope: <c>{ok, result}</c> or <c>{ok:false, error_code, description, parameters?}</c>.</summary>
public sealed class ApiResponse<TResult>
{
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool Ok { get; set; }

    public TResult? Result { get; set; }

    public int? ErrorCode { get; set; }

    public string? Description { get; set; }

    public ResponseParameters? Parameters { get; set; }
}
