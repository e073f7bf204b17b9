// Namespaces most of this project's files use; the ones every test project uses are in tests/Directory.Build.props.
global using Serverless.LocalServices;
global using Serverless.Tests.Shared;
global using System.Security.Cryptography;
