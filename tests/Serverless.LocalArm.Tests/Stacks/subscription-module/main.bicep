// A resource group stack with a module at subscription scope (it makes a resource group).

module groups 'groups.bicep' = {
  name: 'groups'
  scope: subscription()
}
