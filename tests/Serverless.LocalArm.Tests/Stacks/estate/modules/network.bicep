// A virtual network with one subnet per name, each a /24 of 10.0.0.0/16.

param prefix string
param subnetNames array

// The root template has a variable of the same name.
var label = '${prefix}-vnet'

var subnets = [
  for (name, i) in subnetNames: {
    name: name
    addressPrefix: '10.0.${i}.0/24'
  }
]

resource vnet 'Microsoft.Network/virtualNetworks@2023-09-01' = {
  name: label
  location: resourceGroup().location
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      for subnet in subnets: {
        name: subnet.name
        properties: {
          addressPrefix: subnet.addressPrefix
        }
      }
    ]
  }
}

output label string = label
output vnetId string = vnet.id
output subnetIds array = [for subnet in subnets: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, subnet.name)]
