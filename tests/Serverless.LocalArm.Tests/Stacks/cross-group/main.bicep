// A stack whose shared storage lives in another resource group, deployed there by a module.

@description('The resource group of the shared storage; it must exist.')
param sharedGroup string

module shared '../estate/modules/storage.bicep' = {
  name: 'shared-storage'
  scope: resourceGroup(sharedGroup)
  params: {
    owner: 'shared'
  }
}

module local '../estate/modules/storage.bicep' = {
  name: 'local-storage'
  params: {
    owner: 'local'
  }
}

output sharedAccount string = shared.outputs.accountName
output localAccount string = local.outputs.accountName
