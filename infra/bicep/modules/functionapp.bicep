// The Flex Consumption plan and the Function App (isolated worker, .NET 10, Linux).
// The app runs as the user-assigned identity for everything: the host storage
// (AzureWebJobsStorage, which also holds the Durable Functions task hub), the pipeline's
// Blob and Table stores, the deployment package container, Key Vault references and
// Application Insights ingestion. No keys or connection strings with keys are configured.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the Function App (globally unique; becomes <name>.azurewebsites.net).')
param name string

@description('Azure region (one that offers Flex Consumption).')
param location string

@description('Tags applied to the plan and the app.')
param tags object

@description('Resource id of the user-assigned managed identity the app runs as.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Name of the storage account (host storage, task hub, artifacts, delivery record).')
param storageAccountName string

@description('Name of the blob container that holds the deployment packages.')
param deploymentContainerName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Name of the Key Vault that holds the secrets.')
param keyVaultName string

@description('Name of the Key Vault secret with the approval-link signing key.')
param approvalsSigningKeySecretName string

@description('Name of the Key Vault secret with the GitHub webhook secret.')
param githubWebhookSecretName string

@description('Name of the Key Vault secret with the Event Grid webhook secret.')
param eventGridWebhookSecretName string

@description('Durable Functions task hub name (letters and digits, 3-45 characters).')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Most instances the app may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // No browser origin may call the API cross-origin: the dashboard is served by the app itself.
      cors: {
        allowedOrigins: []
        supportCredentials: false
      }
      appSettings: [
        // Host storage and the Durable Functions task hub, through the managed identity.
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          name: 'PipelineTaskHub'
          value: taskHubName
        }
        // Telemetry, sent with the managed identity (the component has local auth disabled).
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsights.properties.ConnectionString
        }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identityClientId};Authorization=AAD'
        }
        // The pipeline's own stores (StorageOptions): service URIs reached with the managed identity.
        {
          name: 'Storage__BlobServiceUri'
          value: storage.properties.primaryEndpoints.blob
        }
        {
          name: 'Storage__TableServiceUri'
          value: storage.properties.primaryEndpoints.table
        }
        {
          name: 'Storage__QueueServiceUri'
          value: storage.properties.primaryEndpoints.queue
        }
        {
          name: 'Storage__ManagedIdentityClientId'
          value: identityClientId
        }
        // Secrets stay in Key Vault; the platform resolves these references with keyVaultReferenceIdentity.
        {
          name: 'Approvals__SigningKey'
          value: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${approvalsSigningKeySecretName}/)'
        }
        {
          name: 'Triggers__GitHub__DefaultSecret'
          value: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${githubWebhookSecretName}/)'
        }
        {
          name: 'Triggers__EventGrid__Secret'
          value: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${eventGridWebhookSecretName}/)'
        }
      ]
    }
  }
}

// Publishing goes to the deployment container with the identity: no basic-auth FTP or SCM credentials.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the Function App.')
output name string = app.name

@description('Default host name of the Function App.')
output defaultHostName string = app.properties.defaultHostName
