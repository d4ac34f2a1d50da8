package web

import "net/http"

// route is one entry of the route table.
type route struct {
	pattern string
	handler http.Handler
	// data marks routes that return rows or column values from a user's
	// database; the leak-matrix test runs each of them as a sandboxed user.
	data bool
	// defs marks routes that return the definitions of questions,
	// dashboards or collections (names, queries, SQL); the definitions
	// matrix checks that each person gets only what they may read.
	defs bool
}

// routes is the one list of every route Sightline serves.
func (s *Server) routes() []route {
	h := s.handle
	return []route{
		{pattern: "GET /api/health", handler: http.HandlerFunc(s.health)},
		{pattern: "GET /metrics", handler: http.HandlerFunc(s.metricsPage)},
		{pattern: "GET /static/{path...}", handler: s.static},
		{pattern: "GET /favicon.ico", handler: http.RedirectHandler("/appearance/logo", http.StatusMovedPermanently)},

		{pattern: "GET /setup", handler: h(s.setupPage)},
		{pattern: "POST /setup", handler: h(s.setupSubmit)},
		{pattern: "POST /api/setup", handler: h(s.apiSetup)},

		{pattern: "GET /auth/login", handler: h(s.loginPage)},
		{pattern: "POST /auth/login", handler: h(s.loginSubmit)},
		{pattern: "GET /auth/logout", handler: h(s.logout)},
		{pattern: "POST /auth/logout", handler: h(s.logout)},
		{pattern: "POST /api/session", handler: h(s.apiSignIn)},
		{pattern: "DELETE /api/session", handler: h(s.apiSignOut)},

		{pattern: "GET /api/user/current", handler: h(s.apiCurrentUser)},
		{pattern: "GET /api/user", handler: h(s.apiListUsers)},
		{pattern: "POST /api/user", handler: h(s.apiCreateUser)},
		{pattern: "GET /api/user/{id}", handler: h(s.apiGetUser)},
		{pattern: "DELETE /api/user/{id}", handler: h(s.apiDeactivateUser)},
		{pattern: "PUT /api/user/{id}/reactivate", handler: h(s.apiReactivateUser)},
		{pattern: "PUT /api/user/{id}", handler: h(s.apiUpdateUser)},
		{pattern: "PUT /api/user/{id}/password", handler: h(s.apiResetPassword)},
		{pattern: "GET /api/permissions/group", handler: h(s.apiListGroups)},
		{pattern: "GET /api/setting", handler: h(s.apiListSettings)},
		{pattern: "PUT /api/setting/{key}", handler: h(s.apiPutSetting)},

		{pattern: "GET /browse", handler: h(s.browsePage)},
		{pattern: "GET /browse/{id}", handler: h(s.browseDatabasePage)},
		{pattern: "GET /table/{id}", handler: h(s.tablePage), data: true},
		{pattern: "GET /api/database", handler: h(s.apiDatabases)},
		{pattern: "POST /api/database", handler: h(s.apiCreateDatabase)},
		{pattern: "GET /api/database/{id}", handler: h(s.apiDatabase)},
		{pattern: "PUT /api/database/{id}", handler: h(s.apiUpdateDatabase)},
		{pattern: "DELETE /api/database/{id}", handler: h(s.apiDeleteDatabase)},
		{pattern: "POST /api/database/{id}/sync_schema", handler: h(s.apiSyncDatabase)},
		{pattern: "GET /api/database/{id}/metadata", handler: h(s.apiDatabaseMetadata)},
		{pattern: "GET /api/table/{id}", handler: h(s.apiTableMetadata)},
		{pattern: "GET /api/table/{id}/query_metadata", handler: h(s.apiTableMetadata)},
		{pattern: "PUT /api/table/{id}", handler: h(s.apiUpdateTable)},
		{pattern: "GET /api/field/{id}/values", handler: h(s.apiFieldValues), data: true},
		{pattern: "GET /admin/databases", handler: h(s.adminDatabasesPage)},
		{pattern: "GET /admin/databases/new", handler: h(s.adminDatabaseFormPage)},
		{pattern: "POST /admin/databases", handler: h(s.adminDatabaseSubmit)},
		{pattern: "GET /admin/databases/{id}", handler: h(s.adminDatabaseFormPage)},
		{pattern: "POST /admin/databases/{id}", handler: h(s.adminDatabaseSubmit)},
		{pattern: "POST /admin/databases/{id}/sync", handler: h(s.adminDatabaseSync)},
		{pattern: "POST /admin/databases/{id}/delete", handler: h(s.adminDatabaseDelete)},
		{pattern: "GET /admin/datamodel", handler: h(s.adminDatamodelPage)},
		{pattern: "POST /admin/datamodel/table/{id}", handler: h(s.adminTableEdit)},
		{pattern: "POST /admin/datamodel/table/{table}/field/{id}", handler: h(s.adminFieldEdit)},

		{pattern: "POST /api/dataset", handler: h(s.apiDataset), data: true},
		{pattern: "POST /api/card", handler: h(s.apiCreateCard)},
		{pattern: "GET /api/card/{id}", handler: h(s.apiGetCard), defs: true},
		{pattern: "PUT /api/card/{id}", handler: h(s.apiUpdateCard)},
		{pattern: "POST /api/card/{id}/query", handler: h(s.apiRunCard), data: true},

		{pattern: "GET /api/automagic-dashboards/table/{id}", handler: h(s.apiXRayTable)},
		{pattern: "POST /api/dashboard/save", handler: h(s.apiSaveXRay)},
		{pattern: "GET /api/dashboard/{id}", handler: h(s.apiGetDashboard), defs: true},
		{pattern: "POST /api/dashboard", handler: h(s.apiCreateDashboard)},
		{pattern: "PUT /api/dashboard/{id}", handler: h(s.apiUpdateDashboard)},
		{pattern: "POST /api/dashboard/{id}/copy", handler: h(s.apiCopyDashboard)},
		{pattern: "POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query", handler: h(s.apiRunDashcard), data: true},
		{pattern: "GET /api/dashboard/{id}/params/{param}/values", handler: h(s.apiDashboardParamValues), data: true},
		{pattern: "GET /api/collection/{id}", handler: h(s.apiGetCollection), defs: true},
		{pattern: "GET /api/collection/{id}/items", handler: h(s.apiCollectionItems), defs: true},
		{pattern: "POST /api/collection", handler: h(s.apiCreateCollection)},
		{pattern: "PUT /api/collection/{id}", handler: h(s.apiUpdateCollection)},

		{pattern: "GET /collection/new", handler: h(s.newCollectionPage)},
		{pattern: "POST /collection", handler: h(s.newCollectionSubmit)},
		{pattern: "GET /collection/{id}", handler: h(s.collectionPage), defs: true},
		{pattern: "POST /item/{model}/{id}", handler: h(s.itemActionSubmit)},
		{pattern: "GET /trash", handler: h(s.trashPage), defs: true},
		{pattern: "GET /search", handler: h(s.searchPage), defs: true},
		{pattern: "GET /api/search", handler: h(s.apiSearch), defs: true},

		{pattern: "GET /dashboard/new", handler: h(s.newDashboardPage)},
		{pattern: "POST /dashboard", handler: h(s.newDashboardSubmit)},
		{pattern: "GET /dashboard/{id}", handler: h(s.dashboardPage), defs: true},
		{pattern: "GET /auto/dashboard/table/{id}", handler: h(s.xrayPage)},

		{pattern: "GET /question/new", handler: h(s.newQuestionPage)},
		{pattern: "GET /question", handler: h(s.adHocQuestionPage)},
		{pattern: "GET /question/{id}", handler: h(s.questionPage), defs: true},
		{pattern: "POST /api/dataset/{format}", handler: h(s.apiDownloadDataset), data: true},
		{pattern: "GET /api/card/{id}/query/{format}", handler: h(s.apiDownloadCard), data: true},
		{pattern: "POST /api/card/{id}/query/{format}", handler: h(s.apiDownloadCard), data: true},

		{pattern: "GET /appearance.css", handler: h(s.appearanceStylesheet)},
		{pattern: "GET /appearance/logo", handler: h(s.appearanceLogo)},
		{pattern: "GET /admin/settings/appearance", handler: h(s.adminAppearancePage)},
		{pattern: "POST /admin/settings/appearance", handler: h(s.adminAppearanceSubmit)},

		{pattern: "GET /api/permissions/graph", handler: h(s.apiPermissionGraph)},
		{pattern: "PUT /api/permissions/graph", handler: h(s.apiPutPermissionGraph)},
		{pattern: "GET /api/collection/graph", handler: h(s.apiCollectionGraph)},
		{pattern: "PUT /api/collection/graph", handler: h(s.apiPutCollectionGraph)},
		{pattern: "POST /api/permissions/group", handler: h(s.apiCreateGroup)},
		{pattern: "PUT /api/permissions/group/{id}", handler: h(s.apiRenameGroup)},
		{pattern: "DELETE /api/permissions/group/{id}", handler: h(s.apiDeleteGroup)},
		{pattern: "GET /api/permissions/membership", handler: h(s.apiMemberships)},
		{pattern: "POST /api/permissions/membership", handler: h(s.apiAddMembership)},
		{pattern: "PUT /api/permissions/membership/{id}", handler: h(s.apiUpdateMembership)},
		{pattern: "DELETE /api/permissions/membership/{id}", handler: h(s.apiRemoveMembership)},
		{pattern: "GET /api/mt/gtap", handler: h(s.apiSandboxes)},
		{pattern: "POST /api/mt/gtap", handler: h(s.apiCreateSandbox)},
		{pattern: "GET /api/mt/gtap/{id}", handler: h(s.apiSandbox)},
		{pattern: "PUT /api/mt/gtap/{id}", handler: h(s.apiUpdateSandbox)},
		{pattern: "DELETE /api/mt/gtap/{id}", handler: h(s.apiDeleteSandbox)},
		{pattern: "GET /api/mt/user/attributes", handler: h(s.apiUserAttributes)},

		{pattern: "GET /admin/groups", handler: h(s.adminGroupsPage)},
		{pattern: "POST /admin/groups", handler: h(s.adminCreateGroup)},
		{pattern: "GET /admin/groups/{id}", handler: h(s.adminGroupPage)},
		{pattern: "POST /admin/groups/{id}/rename", handler: h(s.adminRenameGroup)},
		{pattern: "POST /admin/groups/{id}/delete", handler: h(s.adminDeleteGroup)},
		{pattern: "POST /admin/groups/{id}/members", handler: h(s.adminAddMember)},
		{pattern: "POST /admin/groups/{id}/members/{user}/remove", handler: h(s.adminRemoveMember)},
		{pattern: "POST /admin/groups/{id}/members/{user}/manager", handler: h(s.adminSetManager)},
		{pattern: "GET /admin/permissions", handler: h(s.adminPermissionsPage)},
		{pattern: "POST /admin/permissions/data", handler: h(s.adminPermissionsSaveData)},
		{pattern: "POST /admin/permissions/collections", handler: h(s.adminPermissionsSaveCollections)},
		{pattern: "GET /admin/audit", handler: h(s.adminAuditPage)},
		{pattern: "GET /api/audit", handler: h(s.apiAudit)},

		{pattern: "GET /{$}", handler: h(s.homePage), defs: true},
		{pattern: "GET /admin", handler: http.RedirectHandler("/admin/people", http.StatusFound)},
		{pattern: "GET /admin/people", handler: h(s.adminPeoplePage)},
		{pattern: "POST /admin/people", handler: h(s.adminCreateUser)},
		{pattern: "POST /admin/people/{id}/active", handler: h(s.adminSetActive)},
		{pattern: "GET /admin/people/{id}", handler: h(s.adminPersonPage)},
		{pattern: "POST /admin/people/{id}", handler: h(s.adminUpdatePerson)},
		{pattern: "POST /admin/people/{id}/password", handler: h(s.adminResetPassword)},
		{pattern: "POST /admin/people/{id}/view-as", handler: h(s.startViewAs)},
		{pattern: "POST " + stopViewAsPath, handler: h(s.stopViewAs)},
		{pattern: "GET /admin/settings", handler: h(s.adminSettingsPage)},
		{pattern: "POST /admin/settings", handler: h(s.adminSettingsSubmit)},

		{pattern: "GET /auth/sso", handler: h(s.ssoGet)},
		{pattern: "POST /auth/sso", handler: h(s.ssoPost)},
		{pattern: "GET /admin/settings/embedding", handler: h(s.adminEmbeddingPage)},
		{pattern: "POST /admin/settings/embedding", handler: h(s.adminEmbeddingSubmit)},
		{pattern: "GET /admin/settings/authentication", handler: h(s.adminAuthPage)},
		{pattern: "POST /admin/settings/authentication/password", handler: h(s.adminPasswordLoginSubmit)},
		{pattern: "POST /admin/settings/authentication/jwt", handler: h(s.adminJWTSubmit)},
		{pattern: "POST /admin/settings/authentication/jwt/key", handler: h(s.adminJWTKey)},
		{pattern: "POST /admin/settings/authentication/jwt/state", handler: h(s.adminJWTState)},

		// API keys for scripts and API clients.
		{pattern: "GET /api/api-key", handler: h(s.apiListAPIKeys)},
		{pattern: "GET /api/api-key/count", handler: h(s.apiCountAPIKeys)},
		{pattern: "POST /api/api-key", handler: h(s.apiCreateAPIKey)},
		{pattern: "GET /api/api-key/{$}", handler: h(s.apiListAPIKeys)},
		{pattern: "POST /api/api-key/{$}", handler: h(s.apiCreateAPIKey)},
		{pattern: "PUT /api/api-key/{id}", handler: h(s.apiUpdateAPIKey)},
		{pattern: "PUT /api/api-key/{id}/regenerate", handler: h(s.apiRegenerateAPIKey)},
		{pattern: "DELETE /api/api-key/{id}", handler: h(s.apiDeleteAPIKey)},
		{pattern: "GET /admin/settings/api-keys", handler: h(s.adminAPIKeysPage)},
		{pattern: "POST /admin/settings/api-keys", handler: h(s.adminCreateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}", handler: h(s.adminUpdateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}/regenerate", handler: h(s.adminRegenerateAPIKey)},
		{pattern: "POST /admin/settings/api-keys/{id}/delete", handler: h(s.adminDeleteAPIKey)},

		// Questions, dashboards and collections: lists, metadata, deletes, dashboard card downloads.
		{pattern: "GET /api/card", handler: h(s.apiListCards), defs: true},
		{pattern: "DELETE /api/card/{id}", handler: h(s.apiDeleteCard)},
		{pattern: "GET /api/card/{id}/dashboards", handler: h(s.apiCardDashboards), defs: true},
		{pattern: "GET /api/card/{id}/query_metadata", handler: h(s.apiCardQueryMetadata)},
		{pattern: "GET /api/dashboard", handler: h(s.apiListDashboards), defs: true},
		{pattern: "DELETE /api/dashboard/{id}", handler: h(s.apiDeleteDashboard)},
		{pattern: "GET /api/dashboard/{id}/query_metadata", handler: h(s.apiDashboardQueryMetadata)},
		{pattern: "POST /api/dashboard/{id}/dashcard/{dashcard}/card/{card}/query/{format}", handler: h(s.apiDownloadDashcard), data: true},
		{pattern: "GET /api/collection", handler: h(s.apiListCollections), defs: true},
		{pattern: "GET /api/collection/tree", handler: h(s.apiCollectionTree), defs: true},

		// Data model: tables, schemas, fields, foreign keys, health.
		{pattern: "GET /api/table", handler: h(s.apiListTables)},
		{pattern: "GET /api/table/{id}/fks", handler: h(s.apiTableFKs)},
		{pattern: "GET /api/database/{id}/schemas", handler: h(s.apiDatabaseSchemas)},
		{pattern: "GET /api/database/{id}/schema/{schema}", handler: h(s.apiDatabaseSchema)},
		{pattern: "GET /api/database/{id}/schema/{$}", handler: h(s.apiDatabaseSchema)},
		{pattern: "GET /api/database/{id}/healthcheck", handler: h(s.apiDatabaseHealth)},
		{pattern: "POST /api/database/{id}/rescan_values", handler: h(s.apiRescanValues)},
		{pattern: "GET /api/field/{id}", handler: h(s.apiGetField)},
		{pattern: "PUT /api/field/{id}", handler: h(s.apiUpdateField)},
		// Settings: public session properties, one setting, bulk update.
		{pattern: "GET /api/session/properties", handler: h(s.apiSessionProperties)},
		{pattern: "GET /api/setting/{key}", handler: h(s.apiGetSetting)},
		{pattern: "PUT /api/setting", handler: h(s.apiPutSettings)},
		// People and permissions: a group's members, emptying a group, graph slices, hand-set attributes.
		{pattern: "GET /api/permissions/group/{id}", handler: h(s.apiGetGroup)},
		{pattern: "PUT /api/permissions/membership/{id}/clear", handler: h(s.apiClearGroup)},
		{pattern: "GET /api/permissions/graph/db/{id}", handler: h(s.apiPermissionGraphOfDB)},
		{pattern: "GET /api/permissions/graph/group/{id}", handler: h(s.apiPermissionGraphOfGroup)},
		{pattern: "PUT /api/mt/user/{id}/attributes", handler: h(s.apiSetUserAttributes)},

		{pattern: "/", handler: h(s.notFound)},
	}
}
