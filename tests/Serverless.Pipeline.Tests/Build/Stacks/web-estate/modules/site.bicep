// One application's site on the estate's plan, in the application subnet.

@description('Azure region of the site.')
param location string

@description('Name of the site.')
param name string

@description('Resource id of the App Service plan.')
param planId string

@description('Resource id of the subnet the site reaches the network from.')
param subnetId string

@description('The token the health probes send.')
@secure()
param healthToken string

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  properties: {
    serverFarmId: planId
    virtualNetworkSubnetId: subnetId
    httpsOnly: true
    siteConfig: {
      appSettings: [
        {
          name: 'HEALTH_TOKEN'
          value: healthToken
        }
      ]
    }
  }
}

output defaultHostName string = site.properties.defaultHostName
