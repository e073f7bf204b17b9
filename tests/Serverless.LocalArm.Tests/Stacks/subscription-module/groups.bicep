targetScope = 'subscription'

resource made 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-made-by-a-module'
  location: 'westeurope'
}
