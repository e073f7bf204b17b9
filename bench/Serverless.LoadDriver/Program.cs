using Serverless.LoadDriver;

// Evidence for docs/performance.md: drives pipeline runs through LocalHost on Azurite and compares them with the
// bare engine on the same backend (the default), drills a host crash under load (--scale-out), or measures the
// metrics at scale (--metrics-scale, docs/metrics.md).
DriverOptions options;
try
{
    options = DriverOptions.Parse(args);
}
catch (ArgumentException e)
{
    if (e.Message.Length > 0) await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(DriverOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource(options.Timeout + TimeSpan.FromMinutes(2));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    if (options.MetricsScale) return await MetricsScaleRun.RunAsync(options, Console.Out, cancel.Token);
    return options.ScaleOut
        ? await ScaleOutDrill.RunAsync(options, Console.Out, cancel.Token)
        : await LoadRun.RunAsync(options, Console.Out, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync($"Stopped: the load did not finish within {options.Timeout.TotalMinutes:0} minutes (or was cancelled).");
    return 3;
}
