import { ProjectListPage } from '../features/projects/ProjectListPage';

export function ProjectListRoute() {
  return <ProjectListPage />;
}
