// The sample network stack: one virtual network with an application and a data subnet,
// both behind one network security group. Every environment gets its own address space
// from its parameters file; the subnets are carved out of it.

targetScope = 'resourceGroup'

@description('Azure region of every resource in the stack; by default the resource group\'s region.')
param location string = resourceGroup().location

@description('Name of the virtual network.')
@minLength(2)
@maxLength(64)
param vnetName string

@description('Address space of the virtual network, an IPv4 CIDR block from /8 to /24, such as 10.10.0.0/16. Each subnet takes a quarter of it.')
param addressPrefix string

var subnetPrefixLength = parseCidr(addressPrefix).cidr + 2

var subnetNames = [
  'app'
  'data'
]

var tags = {
  stack: 'sample-network'
}

resource nsg 'Microsoft.Network/networkSecurityGroups@2025-05-01' = {
  name: '${vnetName}-nsg'
  location: location
  tags: tags
  properties: {
    securityRules: [
      {
        name: 'allow-https-from-vnet'
        properties: {
          description: 'HTTPS between workloads of the virtual network.'
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          sourceAddressPrefix: 'VirtualNetwork'
          sourcePortRange: '*'
          destinationAddressPrefix: 'VirtualNetwork'
          destinationPortRange: '443'
        }
      }
      {
        name: 'deny-internet-inbound'
        properties: {
          description: 'Nothing enters from the internet.'
          priority: 4000
          direction: 'Inbound'
          access: 'Deny'
          protocol: '*'
          sourceAddressPrefix: 'Internet'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '*'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2025-05-01' = {
  name: vnetName
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      for (name, i) in subnetNames: {
        name: name
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, subnetPrefixLength, i)
          networkSecurityGroup: {
            id: nsg.id
          }
          privateEndpointNetworkPolicies: 'Enabled'
        }
      }
    ]
  }
}

@description('Resource id of the virtual network.')
output vnetId string = vnet.id

@description('Name of the virtual network.')
output vnetName string = vnet.name

@description('Address space of the virtual network.')
output addressPrefix string = addressPrefix

@description('Resource id of each subnet, by subnet name.')
output subnetIds object = toObject(subnetNames, name => name, name => resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, name))

@description('Address prefix of each subnet, by subnet name.')
output subnetPrefixes object = toObject(subnetNames, name => name, name => cidrSubnet(addressPrefix, subnetPrefixLength, indexOf(subnetNames, name)))

@description('Resource id of the network security group.')
output nsgId string = nsg.id
