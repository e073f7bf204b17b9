// The estate's virtual network: an application and a data subnet, both behind the route table of a nested module.

@description('Azure region of the network.')
param location string

@description('Name of the virtual network.')
param name string

@description('Address space of the virtual network; each subnet takes a quarter of it.')
param addressPrefix string

var subnets = [
  {
    name: 'app'
    index: 0
  }
  {
    name: 'data'
    index: 1
  }
]

module routes 'network/routes.bicep' = {
  name: '${name}-routes'
  params: {
    location: location
    name: '${name}-routes'
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [for subnet in subnets: {
      name: subnet.name
      properties: {
        addressPrefix: cidrSubnet(addressPrefix, parseCidr(addressPrefix).cidr + 2, subnet.index)
        routeTable: {
          id: routes.outputs.id
        }
      }
    }]
  }
}

output appSubnetId string = '${vnet.id}/subnets/app'
