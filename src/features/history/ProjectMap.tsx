import { useLiveQuery } from 'dexie-react-hooks';
import { Link, useNavigate } from 'react-router';
import { listRuns } from '../../db';
import { CHAT_MODE_LABELS, shortId, type ChatSession, type Run } from '../../domain';
import { useLinks } from '../../shared/links';
import { formatI } from './format';
import { useProjectChats } from './hooks';
import './history.css';

/** The map shows the newest runs only; the run history lists every run. */
export const MAP_RUN_LIMIT = 300;
const RUNS_PER_CHAT = 8;

const NODE_W = 178;
const NODE_H = 46;
/** Generations go down the page (the panel is tall and narrow); siblings sit side by side. */
const LEVEL_GAP = 76;
const SIBLING_GAP = 192;
const PAD = 16;

export interface MapNode {
  id: string;
  kind: 'chat' | 'run' | 'more';
  chat?: ChatSession;
  run?: Run;
  /** For 'more': how many runs of `chat` are not drawn. */
  hidden?: number;
  createdAt: number;
  depth: number;
  row: number;
}

export interface MapEdge {
  from: string;
  to: string;
  /** A dashed "about" link (a branch about a run it did not directly come from). */
  about: boolean;
}

/**
 * Lays the lineage out top to bottom: setup chat → run → analysis chat →
 * what-if chat → run … Each node sits one level below its deepest parent;
 * within a level, children stay under their parents.
 */
export function layoutLineage(chats: readonly ChatSession[], runs: readonly Run[]): { nodes: MapNode[]; edges: MapEdge[] } {
  const nodes = new Map<string, MapNode>();
  const edges: MapEdge[] = [];
  for (const chat of chats) nodes.set(chat.id, { id: chat.id, kind: 'chat', chat, createdAt: chat.createdAt, depth: 0, row: 0 });

  const runsByChat = new Map<string, Run[]>();
  for (const run of runs) {
    const key = run.chatSessionId && nodes.has(run.chatSessionId) ? run.chatSessionId : '';
    runsByChat.set(key, [...(runsByChat.get(key) ?? []), run]);
  }
  for (const [chatId, list] of runsByChat) {
    const newest = [...list].sort((a, b) => b.createdAt - a.createdAt);
    for (const run of newest.slice(0, RUNS_PER_CHAT)) {
      nodes.set(run.id, { id: run.id, kind: 'run', run, createdAt: run.createdAt, depth: 0, row: 0 });
      if (chatId) edges.push({ from: chatId, to: run.id, about: false });
    }
    if (chatId && newest.length > RUNS_PER_CHAT) {
      const id = `more:${chatId}`;
      nodes.set(id, {
        id,
        kind: 'more',
        chat: nodes.get(chatId)!.chat!,
        hidden: newest.length - RUNS_PER_CHAT,
        createdAt: Number.MAX_SAFE_INTEGER,
        depth: 0,
        row: 0,
      });
      edges.push({ from: chatId, to: id, about: false });
    }
  }
  const runOrigin = new Map(runs.map((run) => [run.id, run.chatSessionId]));
  for (const chat of chats) {
    const parent = chat.parentChatId && nodes.has(chat.parentChatId) ? chat.parentChatId : null;
    const run = chat.runId && nodes.has(chat.runId) ? chat.runId : null;
    if (run) {
      const fromRunsOwnChat = !parent || runOrigin.get(run) === parent;
      edges.push({ from: run, to: chat.id, about: !fromRunsOwnChat });
      if (!fromRunsOwnChat) edges.push({ from: parent!, to: chat.id, about: false });
    } else if (parent) {
      edges.push({ from: parent, to: chat.id, about: false });
    }
  }

  const parents = new Map<string, string[]>();
  for (const edge of edges) parents.set(edge.to, [...(parents.get(edge.to) ?? []), edge.from]);
  const depthOf = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = depthOf.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle in damaged data: cut it here
    visiting.add(id);
    const value = Math.max(-1, ...(parents.get(id) ?? []).map(depth)) + 1;
    visiting.delete(id);
    depthOf.set(id, value);
    return value;
  };
  for (const node of nodes.values()) node.depth = depth(node.id);

  const columns = new Map<number, MapNode[]>();
  for (const node of nodes.values()) columns.set(node.depth, [...(columns.get(node.depth) ?? []), node]);
  for (const d of [...columns.keys()].sort((a, b) => a - b)) {
    const column = columns.get(d)!;
    const anchor = (node: MapNode) =>
      Math.min(Number.MAX_SAFE_INTEGER, ...(parents.get(node.id) ?? []).map((id) => nodes.get(id)?.row ?? 0));
    column.sort((a, b) => anchor(a) - anchor(b) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    // Start each node at or below its parent's row, so short chains read straight across.
    let next = 0;
    for (const node of column) {
      const want = d === 0 ? next : Math.max(next, anchor(node) === Number.MAX_SAFE_INTEGER ? next : anchor(node));
      node.row = want;
      next = want + 1;
    }
  }
  return { nodes: [...nodes.values()], edges };
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function ProjectMap({ projectId, chat }: { projectId: string; chat: ChatSession }) {
  const links = useLinks();
  const navigate = useNavigate();
  const chats = useProjectChats(projectId);
  const runs = useLiveQuery(() => listRuns({ projectId, limit: MAP_RUN_LIMIT }), [projectId]);
  if (!chats || !runs) return <p className="muted pad">Drawing the map…</p>;

  const { nodes, edges } = layoutLineage(chats, runs.runs);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const x = (node: MapNode) => PAD + node.row * SIBLING_GAP;
  const y = (node: MapNode) => PAD + node.depth * LEVEL_GAP;
  const width = PAD * 2 + (Math.max(0, ...nodes.map((node) => node.row)) * SIBLING_GAP + NODE_W);
  const height = PAD * 2 + (Math.max(0, ...nodes.map((node) => node.depth)) * LEVEL_GAP + NODE_H);

  const hrefOf = (node: MapNode): string => {
    if (node.kind === 'chat') return links.chat(projectId, node.id);
    if (node.kind === 'more') return `${links.chat(projectId, node.chat!.id, 'runs')}&runsChat=${encodeURIComponent(node.chat!.id)}`;
    const run = node.run!;
    const inChat = run.chatSessionId && chats.some((c) => c.id === run.chatSessionId) ? run.chatSessionId : chat.id;
    return links.runDetail(projectId, inChat, run.id);
  };
  const labelOf = (node: MapNode): string => {
    if (node.kind === 'chat') return `${CHAT_MODE_LABELS[node.chat!.mode]} chat: ${node.chat!.title}`;
    if (node.kind === 'more') return `${node.hidden} more runs of ${node.chat!.title}`;
    return `Run ${shortId(node.run!.id)}, ${node.run!.status}`;
  };

  return (
    <section className="project-map" aria-labelledby="map-title">
      <p className="muted">
        <Link to={links.chat(projectId, chat.id, 'runs')}>← Run history</Link>
      </p>
      <h3 id="map-title">Project map</h3>
      <div className="map-legend">
        <span>
          <span className="swatch" style={{ background: 'var(--setup-soft)', borderColor: 'var(--setup)' }} />
          Setup chat
        </span>
        <span>
          <span className="swatch" style={{ background: 'var(--analysis-soft)', borderColor: 'var(--analysis)' }} />
          Analysis chat
        </span>
        <span>
          <span className="swatch" style={{ background: 'var(--whatif-soft)', borderColor: 'var(--whatif)' }} />
          What-if chat
        </span>
        <span>
          <span className="swatch" style={{ background: 'var(--surface)', borderColor: 'var(--success)' }} />
          Run
        </span>
        <span>- - - about a run</span>
        {runs.hasMore && <span>Showing the newest {MAP_RUN_LIMIT} runs.</span>}
      </div>
      <div className="map-scroll">
        <svg
          className="map-svg"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label="Chats and runs of this project"
        >
          <defs>
            <marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="map-arrow" />
            </marker>
          </defs>
          <g>
            {edges.map((edge) => {
              const from = byId.get(edge.from);
              const to = byId.get(edge.to);
              if (!from || !to) return null;
              const x1 = x(from) + NODE_W / 2;
              const y1 = y(from) + NODE_H;
              const x2 = x(to) + NODE_W / 2;
              const y2 = y(to);
              const bend = Math.max(16, (y2 - y1) / 2);
              return (
                <path
                  key={`${edge.from}-${edge.to}`}
                  className={`map-edge${edge.about ? ' about' : ''}`}
                  d={`M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`}
                  markerEnd="url(#map-arrow)"
                />
              );
            })}
          </g>
          {nodes.map((node) => {
            const href = hrefOf(node);
            const className =
              node.kind === 'chat'
                ? `map-node chat-${node.chat!.mode}${node.id === chat.id ? ' current' : ''}`
                : node.kind === 'run'
                  ? `map-node run run-${node.run!.status}`
                  : 'map-node run';
            const title =
              node.kind === 'chat'
                ? truncate(node.chat!.title, 24)
                : node.kind === 'run'
                  ? `Run ${shortId(node.run!.id)}`
                  : `+${node.hidden} more runs`;
            const sub =
              node.kind === 'chat'
                ? `${CHAT_MODE_LABELS[node.chat!.mode]} · ${node.chat!.messageCount} msg`
                : node.kind === 'run'
                  ? `${node.run!.status} · best I ${formatI(node.run!.metrics.bestI)}`
                  : 'open the run history';
            return (
              <a
                key={node.id}
                href={href}
                className={className}
                aria-label={labelOf(node)}
                onClick={(event) => {
                  event.preventDefault();
                  void navigate(href);
                }}
              >
                <title>{labelOf(node)}</title>
                <rect x={x(node)} y={y(node)} width={NODE_W} height={NODE_H} rx={node.kind === 'chat' ? 10 : 4} />
                <text x={x(node) + 10} y={y(node) + 19}>
                  {title}
                </text>
                <text className="sub" x={x(node) + 10} y={y(node) + 35}>
                  {sub}
                </text>
              </a>
            );
          })}
        </svg>
      </div>
    </section>
  );
}
