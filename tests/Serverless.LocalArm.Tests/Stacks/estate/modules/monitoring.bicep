// A log workspace that knows how many sites report to it.

param workspaceName string
param siteIds array

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: workspaceName
  location: resourceGroup().location
  tags: {
    sites: string(length(siteIds))
  }
  properties: {
    retentionInDays: 30
  }
}

output workspaceId string = workspace.id
