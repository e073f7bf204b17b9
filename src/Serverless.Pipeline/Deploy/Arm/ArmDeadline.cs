namespace Serverless.Pipeline.Deploy.Arm;

/// <summary>The moment one deployer call must be done by (<see cref="ArmOptions.DeploymentTimeout"/>).</summary>
internal readonly record struct ArmDeadline(TimeProvider Time, DateTimeOffset At, TimeSpan Timeout)
{
    public static ArmDeadline After(TimeProvider time, TimeSpan timeout) => new(time, time.GetUtcNow() + timeout, timeout);

    public TimeSpan Remaining => At - Time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    public bool Passed => Remaining == TimeSpan.Zero;
}
