using Grpc.Net.Client;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.Extensions.Options;
using Serverless.Pipeline.Hosting;
using Serverless.Pipeline.Workflow;

namespace Serverless.LocalHost.Engine;

public static class SelfHostedEngine
{
    /// <summary>
    /// Runs the pipeline's orchestrator and activities on the self-hosted engine: the engine server
    /// starts first, then this process's Durable Task worker and client connect to it over gRPC on its private socket.
    /// </summary>
    public static IServiceCollection AddSelfHostedEngine(this IServiceCollection services)
    {
        services.AddOptions<EngineOptions>().BindConfiguration(EngineOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EngineServer>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineServer>());
        services.AddSingleton(sp => sp.GetRequiredService<EngineServer>().Socket.OpenChannel());

        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(tasks =>
            {
                tasks.AddOrchestrator<PipelineOrchestrator>();
                foreach (var activity in PipelineSurface.Activities)
                    tasks.AddActivity(activity.Name, activity.Create);
            });
            worker.UseGrpc();
        });
        services.AddDurableTaskClient(client => client.UseGrpc());

        services.AddOptions<GrpcDurableTaskWorkerOptions>(Options.DefaultName)
            .Configure<GrpcChannel>((options, channel) => options.Channel = channel);
        services.AddOptions<GrpcDurableTaskClientOptions>(Options.DefaultName)
            .Configure<GrpcChannel>((options, channel) => options.Channel = channel);
        return services;
    }
}
