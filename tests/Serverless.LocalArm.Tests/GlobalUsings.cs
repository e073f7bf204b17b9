// Namespaces most of this project's files use; the ones every test project uses are in tests/Directory.Build.props.
global using Azure;
global using Azure.Core;
