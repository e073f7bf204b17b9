// A storage account named after its owner, unique to the resource group.

param owner string

var accountName = 'st${uniqueString(resourceGroup().id, owner)}'

resource account 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: accountName
  location: resourceGroup().location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  tags: {
    owner: owner
  }
}

output accountName string = account.name
