// The route table of the estate's subnets: nothing leaves for the internet directly.

@description('Azure region of the route table.')
param location string

@description('Name of the route table.')
param name string

resource routes 'Microsoft.Network/routeTables@2024-05-01' = {
  name: name
  location: location
  properties: {
    disableBgpRoutePropagation: true
    routes: [
      {
        name: 'no-direct-internet'
        properties: {
          addressPrefix: '0.0.0.0/0'
          nextHopType: 'None'
        }
      }
    ]
  }
}

output id string = routes.id
