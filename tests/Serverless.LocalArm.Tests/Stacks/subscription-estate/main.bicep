// A subscription stack, as platform teams write them: it makes the estate's resource group and deploys the
// estate's storage into it with a module. Deployed to a resource group, ARM refuses it.

targetScope = 'subscription'

@description('Region of the resource group and of its resources.')
param location string = 'westeurope'

resource estate 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-estate'
  location: location
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: estate
  params: {
    location: location
  }
}
