// The user-assigned managed identity the Function App runs as. It reaches storage
// (host, Durable Functions task hub, artifacts, delivery record), Key Vault and
// Application Insights with Microsoft Entra tokens; no keys are ever handed out.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Client (application) id of the identity, used by the Azure SDK to pick it.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, used in role assignments.')
output principalId string = identity.properties.principalId
