// A web site on its own plan, in a subnet, with a storage account from a module of its own.

param name string
param subnetId string

// A user-defined function: the template that declares it is evaluated with it.
func hostName(siteName string) string => '${siteName}.azurewebsites.net'

module storage 'storage.bicep' = {
  name: '${name}-storage'
  params: {
    owner: name
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-01-01' = {
  name: '${name}-plan'
  location: resourceGroup().location
  sku: {
    name: 'B1'
  }
}

resource site 'Microsoft.Web/sites@2023-01-01' = {
  name: name
  location: resourceGroup().location
  properties: {
    serverFarmId: plan.id
    virtualNetworkSubnetId: subnetId
    siteConfig: {
      appSettings: [
        {
          name: 'STORAGE_ACCOUNT'
          value: storage.outputs.accountName
        }
      ]
    }
  }
}

output siteId string = site.id
output hostName string = hostName(name)
output storageAccount string = storage.outputs.accountName
