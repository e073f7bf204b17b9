// A web estate: a virtual network (a module, with a nested module for its routes), one App Service plan,
// one site per application (a module in a loop), and a diagnostics storage account only where the
// environment keeps diagnostics (a condition). Every environment's limits are the parameters' own.

targetScope = 'resourceGroup'

@description('Azure region of every resource; by default the resource group\'s region.')
param location string = resourceGroup().location

@description('Short name of the environment, part of every resource name.')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Address space of the virtual network, an IPv4 CIDR block such as 10.40.0.0/16.')
param addressPrefix string

@description('How many instances the App Service plan runs.')
@minValue(1)
@maxValue(10)
param instanceCount int

@description('Tier of the App Service plan.')
@allowed([
  'B1'
  'P1v3'
  'P2v3'
])
param planSku string

@description('The applications of the estate, one site each.')
@minLength(1)
@maxLength(3)
@allowed([
  'web'
  'api'
  'admin'
])
param siteNames array

@description('The token the health probes send; from Key Vault in production.')
@secure()
@minLength(16)
param healthToken string

@description('Whether the environment keeps diagnostics in a storage account of its own.')
param keepDiagnostics bool = false

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    name: 'vnet-${environmentName}'
    addressPrefix: addressPrefix
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${environmentName}'
  location: location
  sku: {
    name: planSku
    capacity: instanceCount
  }
}

module sites 'modules/site.bicep' = [for (siteName, i) in siteNames: {
  name: 'site-${i}'
  params: {
    location: location
    name: '${siteName}-${environmentName}'
    planId: plan.id
    subnetId: network.outputs.appSubnetId
    healthToken: healthToken
  }
}]

resource diagnostics 'Microsoft.Storage/storageAccounts@2024-01-01' = if (keepDiagnostics) {
  name: 'diag${uniqueString(resourceGroup().id, environmentName)}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
}

output siteHosts array = [for i in range(0, length(siteNames)): sites[i].outputs.defaultHostName]
