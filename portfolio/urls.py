from django.urls import path

from .views import board, fit, imports, projects, ranking, suggest

app_name = "portfolio"

urlpatterns = [
    path("", board.BoardView.as_view(), name="index"),
    path("ranking/", ranking.RankingPageView.as_view(), name="ranking"),
    path("fit/", fit.PortfolioFitView.as_view(), name="fit"),
    path("ranking.csv", ranking.ranking_csv, name="ranking_csv"),
    path("ranking/weights/", ranking.save_weights, name="ranking_save_weights"),
    path("projects/", projects.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", projects.ProjectCreateView.as_view(), name="project_create"),
    path("projects/<int:pk>/", projects.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", projects.ProjectUpdateView.as_view(), name="project_update"),
    path("projects/<int:pk>/scores/", projects.ScoresEditView.as_view(), name="project_scores"),
    path(
        "projects/<int:pk>/transition/", projects.project_transition_view, name="project_transition"
    ),
    path(
        "projects/<int:pk>/milestones/new/",
        projects.MilestoneCreateView.as_view(),
        name="milestone_create",
    ),
    path("projects/<int:pk>/risks/new/", projects.RiskCreateView.as_view(), name="risk_create"),
    path(
        "projects/<int:pk>/benefits/new/",
        projects.BenefitCreateView.as_view(),
        name="benefit_create",
    ),
    path("benefits/<int:pk>/edit/", projects.BenefitUpdateView.as_view(), name="benefit_update"),
    path(
        "benefits/<int:pk>/realisation/",
        projects.BenefitRealisationView.as_view(),
        name="benefit_realisation",
    ),
    path("projects/<int:pk>/costs/new/", projects.CostCreateView.as_view(), name="cost_create"),
    path("costs/<int:pk>/edit/", projects.CostUpdateView.as_view(), name="cost_update"),
    path("costs/<int:pk>/delete/", projects.cost_delete_view, name="cost_delete"),
    path("suggest/<str:kind>/", suggest.suggest, name="suggest"),
    path("import/", imports.ImportUploadView.as_view(), name="import"),
    path("import/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
]
