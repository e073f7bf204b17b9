using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Serverless.LocalServices;

namespace Serverless.Functions.Tests;

/// <summary>
/// Compiles the product's own Azure deployment (infra/bicep/main.bicep) with the Bicep CLI from the
/// NuGet package, once for the class, and keeps the ARM JSON and the compiler's diagnostics.
/// </summary>
public sealed class InfrastructureTemplateFixture : IAsyncLifetime
{
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(2);

    public int ExitCode { get; private set; }
    public string Diagnostics { get; private set; } = "";
    public string Json { get; private set; } = "";
    public JsonDocument Template { get; private set; } = null!;

    public static string MainBicep => Path.Combine(RepositoryRoot.Path, "infra", "bicep", "main.bicep");

    public static string BicepPath
    {
        get
        {
            var configured = typeof(InfrastructureTemplateTests).Assembly
                .GetCustomAttributes<AssemblyMetadataAttribute>()
                .SingleOrDefault(a => a.Key == "BicepPath")?.Value;
            if (string.IsNullOrEmpty(configured))
            {
                throw new InvalidOperationException("The test assembly has no BicepPath metadata: is Azure.Bicep.CommandLine.linux-x64 referenced?");
            }
            // The package's props join the folder and the file name with a backslash.
            return File.Exists(configured) ? configured : configured.Replace('\\', Path.DirectorySeparatorChar);
        }
    }

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo(BicepPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        start.ArgumentList.Add("build");
        start.ArgumentList.Add(MainBicep);
        start.ArgumentList.Add("--stdout");

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {BicepPath}.");
        using var timeout = new CancellationTokenSource(CompileTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep build did not finish within {CompileTimeout}.");
        }

        ExitCode = process.ExitCode;
        Json = await stdout;
        Diagnostics = (await stderr).Trim();
        Template = JsonDocument.Parse(string.IsNullOrWhiteSpace(Json) ? "{}" : Json);
    }

    public Task DisposeAsync()
    {
        Template?.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Facts about the product's Azure deployment that must hold after every change to infra/bicep:
/// it compiles cleanly (linter included), uses no shared keys or secrets, runs on Flex Consumption
/// as a user-assigned identity, and names its role assignments deterministically.
/// </summary>
public sealed class InfrastructureTemplateTests(InfrastructureTemplateFixture fixture) : IClassFixture<InfrastructureTemplateFixture>
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";

    /// <summary>App settings whose literal value is allowed: they carry no secret.</summary>
    private static readonly Dictionary<string, string> AllowedLiteralSettings = new(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage__credential"] = "managedidentity",
    };

    [Fact]
    public void Main_template_compiles_with_no_errors_and_no_warnings()
    {
        Assert.True(fixture.ExitCode == 0, $"bicep build exited with {fixture.ExitCode}:\n{fixture.Diagnostics}");
        Assert.True(fixture.Diagnostics.Length == 0, $"bicep build reported diagnostics:\n{fixture.Diagnostics}");
        Assert.False(string.IsNullOrWhiteSpace(fixture.Json), "bicep build wrote no ARM JSON.");
    }

    [Fact]
    public void Main_template_targets_the_subscription_and_creates_a_resource_group()
    {
        var root = fixture.Template.RootElement;
        Assert.Contains("subscriptionDeploymentTemplate.json", root.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        Assert.Contains(Resources(root), r => r.Type == "Microsoft.Resources/resourceGroups" && r.Module == "");
    }

    [Fact]
    public void Modules_are_local_and_nested_not_registry_references()
    {
        var modules = Resources(fixture.Template.RootElement).Where(r => r.Type == "Microsoft.Resources/deployments").ToList();
        Assert.Equal(
            new[] { "functionapp", "identity", "keyvault", "monitoring", "roles", "storage" },
            modules.Select(m => m.Name).Order(StringComparer.Ordinal));
        Assert.All(modules, m =>
        {
            var properties = m.Element.GetProperty("properties");
            Assert.True(properties.TryGetProperty("template", out _), $"Module {m.Name} is not inlined.");
            Assert.False(properties.TryGetProperty("templateLink", out _), $"Module {m.Name} is linked, not local.");
        });
    }

    [Fact]
    public void Storage_account_allows_no_shared_keys_no_public_blobs_and_only_tls_1_2()
    {
        var account = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Storage/storageAccounts" && !r.IsExisting);
        Assert.Equal("storage", account.Module);
        Assert.Equal("StorageV2", account.Element.GetProperty("kind").GetString());

        var properties = account.Element.GetProperty("properties");
        Assert.Equal(JsonValueKind.False, properties.GetProperty("allowSharedKeyAccess").ValueKind);
        Assert.Equal(JsonValueKind.False, properties.GetProperty("allowBlobPublicAccess").ValueKind);
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
        Assert.Equal(JsonValueKind.True, properties.GetProperty("supportsHttpsTrafficOnly").ValueKind);

        var container = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.Equal("None", container.Element.GetProperty("properties").GetProperty("publicAccess").GetString());
    }

    [Fact]
    public void Plan_is_linux_flex_consumption_fc1()
    {
        var plan = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Web/serverfarms");
        var sku = plan.Element.GetProperty("sku");
        Assert.Equal("FC1", sku.GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", sku.GetProperty("tier").GetString());
        Assert.Equal(JsonValueKind.True, plan.Element.GetProperty("properties").GetProperty("reserved").ValueKind);
    }

    [Fact]
    public void Function_app_runs_dotnet_isolated_10_from_a_blob_container_as_the_user_assigned_identity()
    {
        var app = FunctionApp();
        Assert.Equal("functionapp,linux", app.GetProperty("kind").GetString());

        var identity = app.GetProperty("identity");
        Assert.Equal("UserAssigned", identity.GetProperty("type").GetString());
        var assigned = Assert.Single(identity.GetProperty("userAssignedIdentities").EnumerateObject());
        Assert.Contains("parameters('identityId')", assigned.Name, StringComparison.Ordinal);

        var properties = app.GetProperty("properties");
        Assert.Equal("[parameters('identityId')]", properties.GetProperty("keyVaultReferenceIdentity").GetString());
        Assert.Equal(JsonValueKind.True, properties.GetProperty("httpsOnly").ValueKind);

        var config = properties.GetProperty("functionAppConfig");
        var storage = config.GetProperty("deployment").GetProperty("storage");
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        var authentication = storage.GetProperty("authentication");
        Assert.Equal("UserAssignedIdentity", authentication.GetProperty("type").GetString());
        Assert.Equal("[parameters('identityId')]", authentication.GetProperty("userAssignedIdentityResourceId").GetString());
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", config.GetProperty("runtime").GetProperty("version").GetString());
        Assert.True(config.TryGetProperty("scaleAndConcurrency", out _));

        // The module's identity parameters come from the identity module, not from a literal.
        var parameters = ModuleParameters("functionapp");
        Assert.Matches(@"^\[reference\(.*'Microsoft\.Resources/deployments', 'identity'\).*\.outputs\.id\.value\]$", parameters.GetProperty("identityId").GetProperty("value").GetString());
        Assert.Matches(@"^\[reference\(.*'Microsoft\.Resources/deployments', 'identity'\).*\.outputs\.clientId\.value\]$", parameters.GetProperty("identityClientId").GetProperty("value").GetString());
        var identityResource = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.ManagedIdentity/userAssignedIdentities");
        Assert.Equal("identity", identityResource.Module);
    }

    [Fact]
    public void Function_app_reaches_storage_with_the_managed_identity_and_secrets_through_key_vault()
    {
        var settings = AppSettings();

        Assert.Equal("[parameters('storageAccountName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Equal("[parameters('identityClientId')]", settings["Storage__ManagedIdentityClientId"]);
        Assert.Contains(".primaryEndpoints.blob", settings["Storage__BlobServiceUri"], StringComparison.Ordinal);
        Assert.Contains(".primaryEndpoints.table", settings["Storage__TableServiceUri"], StringComparison.Ordinal);
        Assert.Contains(".primaryEndpoints.queue", settings["Storage__QueueServiceUri"], StringComparison.Ordinal);
        Assert.Contains("Microsoft.Insights/components", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"], StringComparison.Ordinal);
        Assert.True(settings.ContainsKey("PipelineTaskHub"));

        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings["Approvals__SigningKey"], StringComparison.Ordinal);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings["Triggers__GitHub__DefaultSecret"], StringComparison.Ordinal);
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri=", settings["Triggers__EventGrid__Secret"], StringComparison.Ordinal);

        // A connection-string setting would bypass the identity; Flex Consumption rejects the worker runtime settings.
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("Storage__ConnectionString", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
    }

    [Fact]
    public void The_secret_settings_bind_to_the_options_the_app_reads()
    {
        // App settings reach the app as configuration with "__" as the section separator.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(AppSettings().Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Key)))
            .Build();

        var triggers = configuration.GetSection(Serverless.Pipeline.Triggers.TriggerOptions.Section).Get<Serverless.Pipeline.Triggers.TriggerOptions>()!;
        var approvals = configuration.GetSection(Serverless.Pipeline.Approvals.ApprovalOptions.Section).Get<Serverless.Pipeline.Approvals.ApprovalOptions>()!;

        Assert.Equal("Triggers__GitHub__DefaultSecret", triggers.GitHub.DefaultSecret);
        Assert.Equal("Triggers__EventGrid__Secret", triggers.EventGrid.Secret);
        Assert.Equal("Approvals__SigningKey", approvals.SigningKey);
    }

    [Fact]
    public void Cross_origin_calls_are_allowed_from_no_origin()
    {
        var cors = FunctionApp().GetProperty("properties").GetProperty("siteConfig").GetProperty("cors");

        Assert.Equal(0, cors.GetProperty("allowedOrigins").GetArrayLength());
        Assert.False(cors.GetProperty("supportCredentials").GetBoolean());
    }

    [Fact]
    public void No_app_setting_holds_an_account_key_or_a_literal_secret()
    {
        foreach (var (name, value) in AppSettings())
        {
            Assert.DoesNotContain("AccountKey=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessSignature=", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
            var isExpression = value.StartsWith('[') && value.EndsWith(']');
            Assert.True(
                isExpression || (AllowedLiteralSettings.TryGetValue(name, out var allowed) && allowed == value),
                $"App setting {name} has the literal value '{value}': settings must be computed from resources or be Key Vault references.");
        }
    }

    [Fact]
    public void Templates_hold_no_keys_secrets_or_secret_values()
    {
        var json = fixture.Json;
        Assert.DoesNotContain("AccountKey=", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys(", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listSecrets(", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessSignature", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.KeyVault/vaults/secrets");
    }

    [Fact]
    public void Key_vault_uses_rbac_and_purge_protection()
    {
        var vault = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.KeyVault/vaults" && !r.IsExisting);
        var properties = vault.Element.GetProperty("properties");
        Assert.Equal(JsonValueKind.True, properties.GetProperty("enableRbacAuthorization").ValueKind);
        Assert.Equal(JsonValueKind.True, properties.GetProperty("enablePurgeProtection").ValueKind);
        Assert.False(properties.TryGetProperty("accessPolicies", out _), "The vault must not use access policies.");
    }

    [Fact]
    public void Application_insights_is_workspace_based()
    {
        var insights = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Insights/components" && !r.IsExisting);
        Assert.Contains("Microsoft.OperationalInsights/workspaces", insights.Element.GetProperty("properties").GetProperty("WorkspaceResourceId").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Role_assignments_are_named_with_guid_of_scope_principal_and_role()
    {
        var assignments = Resources(fixture.Template.RootElement).Where(r => r.Type == "Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);
        Assert.All(assignments, a =>
        {
            var properties = a.Element.GetProperty("properties");
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            Assert.Equal("[parameters('principalId')]", properties.GetProperty("principalId").GetString());
            var scope = Inner(a.Element.GetProperty("scope").GetString());
            var role = Inner(properties.GetProperty("roleDefinitionId").GetString());
            Assert.Equal($"[guid({scope}, parameters('principalId'), {role})]", a.Name);
        });

        // Every role the app needs is granted: Durable Functions and the stores need all three storage roles.
        var roles = assignments.Select(a => a.Module).Distinct().Single();
        Assert.Equal("roles", roles);
        var rolesTemplate = ModuleTemplateText("roles");
        foreach (var roleId in new[] { StorageBlobDataOwner, StorageQueueDataContributor, StorageTableDataContributor, KeyVaultSecretsUser })
        {
            Assert.Contains(roleId, rolesTemplate, StringComparison.OrdinalIgnoreCase);
        }

        // The principal is the user-assigned identity, and the app waits for its roles.
        Assert.Matches(
            @"^\[reference\(.*'Microsoft\.Resources/deployments', 'identity'\).*\.outputs\.principalId\.value\]$",
            ModuleParameters("roles").GetProperty("principalId").GetProperty("value").GetString());
        var functionAppModule = Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Resources/deployments" && r.Name == "functionapp");
        Assert.Contains(
            functionAppModule.Element.GetProperty("dependsOn").EnumerateArray(),
            d => d.GetString()!.EndsWith("'Microsoft.Resources/deployments', 'roles')]", StringComparison.Ordinal));
    }

    [Fact]
    public void Outputs_name_the_app_its_host_storage_identity_and_vault()
    {
        var outputs = fixture.Template.RootElement.GetProperty("outputs");
        foreach (var name in new[] { "functionAppName", "functionAppHostName", "storageAccountName", "identityClientId", "keyVaultUri" })
        {
            Assert.True(outputs.TryGetProperty(name, out _), $"main.bicep has no output {name}.");
        }
    }

    private sealed record TemplateResource(string Module, string Type, string Name, bool IsExisting, JsonElement Element);

    /// <summary>Every resource in a template and in its nested module deployments, with the module it sits in.</summary>
    private static IEnumerable<TemplateResource> Resources(JsonElement template, string module = "")
    {
        if (!template.TryGetProperty("resources", out var resources)) yield break;

        // Templates with symbolic names (languageVersion 2.0) keep resources in an object.
        var items = resources.ValueKind == JsonValueKind.Object
            ? resources.EnumerateObject().Select(p => p.Value)
            : resources.EnumerateArray();
        foreach (var resource in items)
        {
            var type = resource.GetProperty("type").GetString()!;
            var name = resource.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
            var isExisting = resource.TryGetProperty("existing", out var e) && e.ValueKind == JsonValueKind.True;
            yield return new TemplateResource(module, type, name, isExisting, resource);

            if (type == "Microsoft.Resources/deployments"
                && resource.TryGetProperty("properties", out var properties)
                && properties.TryGetProperty("template", out var nested))
            {
                foreach (var inner in Resources(nested, name)) yield return inner;
            }
        }
    }

    private JsonElement FunctionApp() =>
        Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Web/sites" && !r.IsExisting).Element;

    private Dictionary<string, string> AppSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in FunctionApp().GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray())
        {
            settings.Add(setting.GetProperty("name").GetString()!, setting.GetProperty("value").GetString()!);
        }
        return settings;
    }

    private JsonElement ModuleParameters(string module) =>
        Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Resources/deployments" && r.Name == module)
            .Element.GetProperty("properties").GetProperty("parameters");

    private string ModuleTemplateText(string module) =>
        Assert.Single(Resources(fixture.Template.RootElement), r => r.Type == "Microsoft.Resources/deployments" && r.Name == module)
            .Element.GetProperty("properties").GetProperty("template").GetRawText();

    /// <summary>The expression inside an ARM template expression string: "[x]" gives "x".</summary>
    private static string Inner(string? expression)
    {
        Assert.NotNull(expression);
        Assert.True(expression.StartsWith('[') && expression.EndsWith(']'), $"'{expression}' is not a template expression.");
        return expression[1..^1];
    }
}
