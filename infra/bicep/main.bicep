// The product's own Azure deployment: a resource group holding the Function App
// (Flex Consumption, .NET 10 isolated worker, Durable Functions on Azure Storage), its
// storage account, a user-assigned managed identity with least-privilege roles, a Key Vault
// for secrets, and Log Analytics + Application Insights. No keys, connection strings or
// secret values appear in these templates. See README.md in this folder.

targetScope = 'subscription'

@description('Short name of the product instance: lowercase letters and digits, starting with a letter.')
@minLength(2)
@maxLength(10)
param namePrefix string = 'pipeline'

@description('Environment name, such as dev, test or prod: lowercase letters and digits.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region for every resource; it must offer the Flex Consumption plan.')
param location string = deployment().location

@description('Tags applied to the resource group and every resource in it.')
param tags object = {}

@description('Name of the Key Vault secret with the approval-link signing key (set after deployment).')
param approvalsSigningKeySecretName string = 'approvals-signing-key'

@description('Name of the Key Vault secret with the GitHub webhook secret (set after deployment).')
param githubWebhookSecretName string = 'github-webhook-secret'

@description('Name of the Key Vault secret with the Event Grid webhook secret (set after deployment).')
param eventGridWebhookSecretName string = 'eventgrid-webhook-secret'

var allTags = union(tags, {
  application: namePrefix
  environment: environmentName
})

// Globally unique names are derived deterministically, so a redeployment finds the same resources.
var suffix = uniqueString(subscription().id, namePrefix, environmentName, location)
var compactName = toLower(replace('${namePrefix}${environmentName}', '-', ''))
var deploymentContainerName = 'deployment-packages'

var names = {
  resourceGroup: 'rg-${namePrefix}-${environmentName}'
  identity: 'id-${namePrefix}-${environmentName}'
  storage: 'st${take(compactName, 9)}${suffix}'
  keyVault: 'kv${take(compactName, 9)}${suffix}'
  workspace: 'log-${namePrefix}-${environmentName}'
  appInsights: 'appi-${namePrefix}-${environmentName}'
  plan: 'plan-${namePrefix}-${environmentName}'
  functionApp: 'func-${namePrefix}-${environmentName}-${suffix}'
  taskHub: '${compactName}hub'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: allTags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: allTags
    deploymentContainerName: deploymentContainerName
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: allTags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  params: {
    principalId: identity.outputs.principalId
    storageAccountName: storage.outputs.name
    keyVaultName: keyVault.outputs.name
    appInsightsName: monitoring.outputs.appInsightsName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: allTags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    deploymentContainerName: deploymentContainerName
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.name
    approvalsSigningKeySecretName: approvalsSigningKeySecretName
    githubWebhookSecretName: githubWebhookSecretName
    eventGridWebhookSecretName: eventGridWebhookSecretName
    taskHubName: names.taskHub
  }
  // The app reads storage and Key Vault as soon as it starts: grant the roles first.
  dependsOn: [
    roles
  ]
}

@description('Name of the resource group.')
output resourceGroupName string = rg.name

@description('Name of the Function App.')
output functionAppName string = functionApp.outputs.name

@description('Default host name of the Function App.')
output functionAppHostName string = functionApp.outputs.defaultHostName

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Client id of the user-assigned managed identity.')
output identityClientId string = identity.outputs.clientId

@description('URI of the Key Vault.')
output keyVaultUri string = keyVault.outputs.uri
