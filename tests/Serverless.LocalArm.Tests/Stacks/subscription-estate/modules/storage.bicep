@description('Region of the storage account.')
param location string

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: 'stestate${uniqueString(resourceGroup().id)}'
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
}
