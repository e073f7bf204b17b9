namespace Serverless.Pipeline.Storage;

/// <summary>Row keys that sort newest first, since Table storage returns rows in ascending key order.</summary>
public static class TableKeys
{
    public static string NewestFirst(DateTimeOffset at) => (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19");
}
