// Namespaces most of this project's files use; the ones every test project uses are in tests/Directory.Build.props.
global using Microsoft.Extensions.Options;
global using Microsoft.Extensions.DependencyInjection;
global using Serverless.Pipeline.Definition;
global using Serverless.Pipeline.Stacks;
global using Serverless.Pipeline.Runs;
global using Serverless.Pipeline.Workflow;
global using Serverless.Pipeline.Storage;
global using Serverless.Pipeline.Tests.Storage;
global using Serverless.Pipeline.Tests.Stacks;
