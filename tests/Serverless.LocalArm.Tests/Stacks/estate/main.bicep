// A modular stack for the stand-in's tests: a network module, one site module per region (each
// with a storage module of its own, two levels deep), and a monitoring module when asked for.

@description('Prefix of every name in the stack.')
@minLength(2)
param prefix string

@description('One site per region.')
param regions array = [
  'westeurope'
  'northeurope'
]

@description('Whether the stack gets a log workspace.')
param withMonitoring bool = false

// The network module has a variable of the same name: each template sees its own.
var label = '${prefix}-estate'

module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    prefix: prefix
    subnetNames: [
      'app'
      'data'
    ]
  }
}

module sites 'modules/site.bicep' = [
  for region in regions: {
    name: 'site-${region}'
    params: {
      name: '${prefix}-site-${region}'
      subnetId: network.outputs.subnetIds[0]
    }
  }
]

module monitoring 'modules/monitoring.bicep' = if (withMonitoring) {
  name: 'monitoring'
  params: {
    workspaceName: '${label}-logs'
    siteIds: [for i in range(0, length(regions)): sites[i].outputs.siteId]
  }
}

output label string = label
output networkLabel string = network.outputs.label
output vnetId string = network.outputs.vnetId
output siteHosts array = [for i in range(0, length(regions)): sites[i].outputs.hostName]
output storageAccounts array = [for i in range(0, length(regions)): sites[i].outputs.storageAccount]
