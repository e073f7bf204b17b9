// Serverless.LocalArm: a TEST DOUBLE of Azure Resource Manager (the deployments API at
// resource-group scope), for the demo and the tests only. It never appears in a production
// configuration. See LocalArmServer for what it serves and how a client trusts it.
//
//   dotnet run --project src/Serverless.LocalArm -- --urls https://127.0.0.1:PORT --CertificateFile=/tmp/localarm.pem
using Serverless.LocalArm;

var options = LocalArmOptions.FromCommandLine(args);
await using var server = await LocalArmServer.StartAsync(options);
Console.WriteLine($"LocalArm (test double of Azure Resource Manager) listening on {server.BaseUri}");
if (options.CertificateFile is { } file)
    Console.WriteLine($"Certificate (PEM, SHA-256 {server.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}) written to {file}");
await server.WaitForShutdownAsync();
