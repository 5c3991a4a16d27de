import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import { db, listRuns } from '../../db';
import { CHAT_MODE_LABELS, shortId, type ChatSession, type Run } from '../../domain';
import { useLinks } from '../../shared/links';
import { formatI, runDisplayName } from './format';
import { useProjectChats } from './hooks';
import './history.css';
import { AppLink, useAppNavigate } from '../../shared/navigation';

/** The map shows the newest runs only; the run history lists every run. */
export const MAP_RUN_LIMIT = 300;
const RUNS_PER_CHAT = 12;

const NODE_W = 196;
const NODE_H = 54;
const MIN_SCALE = 0.04;
const MAX_SCALE = 2.5;

export interface MapNode {
  id: string;
  kind: 'chat' | 'run' | 'more';
  chat?: ChatSession;
  run?: Run;
  /** For 'more': how many runs of `chat` are not drawn. */
  hidden?: number;
  createdAt: number;
}

export interface MapEdge {
  from: string;
  to: string;
  /**
   * lineage: a chat's run, a chat branched from a chat or a run;
   * about: a branch about a run it did not directly come from (dashed);
   * seeded: a run seeded from a candidate of another run (the parent run);
   * sequence: the next run of the same chat (a chat's runs form a column, oldest first).
   */
  kind: 'lineage' | 'about' | 'seeded' | 'sequence';
}

/**
 * The lineage graph: setup chat → run → analysis chat → what-if chat → run …,
 * plus an edge from each seeded run to the run its seed candidate came from.
 * `seedRunOf` maps a seeded run's id to that parent run's id.
 */
export function lineageGraph(
  chats: readonly ChatSession[],
  runs: readonly Run[],
  seedRunOf: ReadonlyMap<string, string> = new Map(),
): { nodes: MapNode[]; edges: MapEdge[] } {
  const nodes = new Map<string, MapNode>();
  const edges: MapEdge[] = [];
  for (const chat of chats) nodes.set(chat.id, { id: chat.id, kind: 'chat', chat, createdAt: chat.createdAt });

  const runsByChat = new Map<string, Run[]>();
  for (const run of runs) {
    const key = run.chatSessionId && nodes.has(run.chatSessionId) ? run.chatSessionId : '';
    runsByChat.set(key, [...(runsByChat.get(key) ?? []), run]);
  }
  for (const [chatId, list] of runsByChat) {
    const newest = [...list].sort((a, b) => b.createdAt - a.createdAt);
    // Runs without a chat are all drawn; a chat's runs beyond the newest few fold into one node.
    const shown = chatId ? newest.slice(0, RUNS_PER_CHAT) : newest;
    // A chat's runs hang under it as a column, oldest first: chat → run → next run …, so many runs stay narrow.
    let previous = chatId;
    for (const run of [...shown].reverse()) {
      nodes.set(run.id, { id: run.id, kind: 'run', run, createdAt: run.createdAt });
      if (previous) edges.push({ from: previous, to: run.id, kind: previous === chatId ? 'lineage' : 'sequence' });
      previous = chatId ? run.id : '';
    }
    if (chatId && newest.length > shown.length) {
      const id = `more:${chatId}`;
      nodes.set(id, {
        id,
        kind: 'more',
        chat: nodes.get(chatId)!.chat!,
        hidden: newest.length - shown.length,
        createdAt: Number.MAX_SAFE_INTEGER,
      });
      edges.push({ from: previous, to: id, kind: 'sequence' });
    }
  }
  const runOrigin = new Map(runs.map((run) => [run.id, run.chatSessionId]));
  for (const chat of chats) {
    const parent = chat.parentChatId && nodes.has(chat.parentChatId) ? chat.parentChatId : null;
    const run = chat.runId && nodes.has(chat.runId) ? chat.runId : null;
    if (run) {
      const fromRunsOwnChat = !parent || runOrigin.get(run) === parent;
      edges.push({ from: run, to: chat.id, kind: fromRunsOwnChat ? 'lineage' : 'about' });
      if (!fromRunsOwnChat) edges.push({ from: parent, to: chat.id, kind: 'lineage' });
    } else if (parent) {
      edges.push({ from: parent, to: chat.id, kind: 'lineage' });
    }
  }
  for (const [runId, parentRunId] of seedRunOf) {
    if (runId !== parentRunId && nodes.has(runId) && nodes.has(parentRunId)) edges.push({ from: parentRunId, to: runId, kind: 'seeded' });
  }
  return { nodes: [...nodes.values()], edges };
}

export interface PlacedGraph {
  nodes: (MapNode & { x: number; y: number })[];
  edges: (MapEdge & { points: { x: number; y: number }[] })[];
  width: number;
  height: number;
}

/** Layered layout (dagre: longest-path ranks, crossing minimisation), loaded on first use. */
export async function placeGraph(graph: { nodes: MapNode[]; edges: MapEdge[] }, frameAspect = 0.8): Promise<PlacedGraph> {
  const dagre = await import('@dagrejs/dagre');
  const topDown = layoutWith(dagre, graph, 'TB');
  // Generations go down the page; when that is far wider than the frame (many siblings), left to right fits better.
  if (topDown.width / Math.max(topDown.height, 1) <= frameAspect * 3) return topDown;
  const leftRight = layoutWith(dagre, graph, 'LR');
  const scaleOf = (placed: PlacedGraph) => Math.min(frameAspect / placed.width, 1 / placed.height);
  return scaleOf(leftRight) > scaleOf(topDown) ? leftRight : topDown;
}

function layoutWith(
  dagre: typeof import('@dagrejs/dagre'),
  graph: { nodes: MapNode[]; edges: MapEdge[] },
  rankdir: 'TB' | 'LR',
): PlacedGraph {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir, nodesep: rankdir === 'TB' ? 28 : 14, ranksep: 40, edgesep: 12, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const ordered = [...graph.nodes].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const node of ordered) g.setNode(node.id, { width: NODE_W, height: NODE_H });
  graph.edges.forEach((edge, at) => {
    // A seeded edge should not pull its run a level down past its own chat: it is drawn, but weighs less.
    // Keep a chat's run column straight (heavy sequence edges); seeded links are drawn but pull less.
    const weight = edge.kind === 'sequence' ? 8 : edge.kind === 'seeded' ? 1 : 2;
    g.setEdge(edge.from, edge.to, { weight, minlen: 1 }, `e${at}`);
  });
  dagre.layout(g);
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const nodes = ordered.map((node) => {
    // dagre's labels are untyped; layout() has just given every node its centre.
    const placed = g.node(node.id) as { x: number; y: number };
    return { ...byId.get(node.id)!, x: placed.x - NODE_W / 2, y: placed.y - NODE_H / 2 };
  });
  const edges = graph.edges.map((edge, at) => ({
    ...edge,
    points: (g.edge({ v: edge.from, w: edge.to, name: `e${at}` }) as { points?: { x: number; y: number }[] } | undefined)?.points ?? [],
  }));
  const label = g.graph() as { width?: number; height?: number };
  return { nodes, edges, width: label.width ?? 0, height: label.height ?? 0 };
}

/** Maps each seeded run to the run its seed candidate came from. */
async function seedParents(runs: readonly Run[]): Promise<Map<string, string>> {
  const seeded = runs.filter((run) => run.config.seedCandidateId);
  const candidates = await db.candidates.bulkGet(seeded.map((run) => run.config.seedCandidateId!));
  const map = new Map<string, string>();
  seeded.forEach((run, at) => {
    const candidate = candidates[at];
    if (candidate) map.set(run.id, candidate.runId);
  });
  return map;
}

function splitTitle(text: string, perLine: number): [string, string] {
  if (text.length <= perLine) return [text, ''];
  const cut = text.lastIndexOf(' ', perLine);
  const at = cut > perLine * 0.5 ? cut : perLine;
  const rest = text.slice(at).trim();
  return [text.slice(0, at).trim(), rest.length > perLine ? `${rest.slice(0, perLine - 1)}…` : rest];
}

function pathOf(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  const [first, ...rest] = points;
  if (rest.length === 1) return `M${first!.x},${first!.y} L${rest[0]!.x},${rest[0]!.y}`;
  // A smooth curve through dagre's bend points (quadratic segments between midpoints).
  let d = `M${first!.x},${first!.y}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const point = rest[i]!;
    const next = rest[i + 1]!;
    d += ` Q${point.x},${point.y} ${(point.x + next.x) / 2},${(point.y + next.y) / 2}`;
  }
  const last = rest.at(-1)!;
  return `${d} L${last.x},${last.y}`;
}

interface View {
  scale: number;
  x: number;
  y: number;
}

export function ProjectMap({ projectId, chat }: { projectId: string; chat: ChatSession }) {
  const links = useLinks();
  const navigate = useAppNavigate();
  const chats = useProjectChats(projectId);
  const runs = useLiveQuery(() => listRuns({ projectId, limit: MAP_RUN_LIMIT }), [projectId]);
  const seeds = useLiveQuery(async () => (runs ? seedParents(runs.runs) : null), [runs]);
  const [placed, setPlaced] = useState<PlacedGraph | null>(null);
  const [view, setView] = useState<View | null>(null);
  const frameRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; view: View; moved: boolean } | null>(null);

  useEffect(() => {
    if (!chats || !runs || !seeds) return;
    let live = true;
    const frame = frameRef.current?.getBoundingClientRect();
    const aspect = frame && frame.height > 0 ? frame.width / frame.height : 0.8;
    void placeGraph(lineageGraph(chats, runs.runs, seeds), aspect).then((result) => {
      if (!live) return;
      setPlaced(result);
      setView(null);
    });
    return () => {
      live = false;
    };
  }, [chats, runs, seeds]);

  const fit = useCallback(() => {
    const frame = frameRef.current;
    if (!frame || !placed) return;
    const { width, height } = frame.getBoundingClientRect();
    const scale = Math.min(
      MAX_SCALE,
      Math.max(MIN_SCALE, Math.min(width / Math.max(placed.width, 1), height / Math.max(placed.height, 1), 1)),
    );
    setView({ scale, x: (width - placed.width * scale) / 2, y: Math.min(12, (height - placed.height * scale) / 2) });
  }, [placed]);
  // Fit once per new layout; afterwards the user's zoom and pan stay.
  useLayoutEffect(() => {
    if (placed && !view) fit();
  }, [placed, view, fit]);

  const zoomAt = useCallback((factor: number, cx?: number, cy?: number) => {
    setView((current) => {
      if (!current) return current;
      const frame = frameRef.current?.getBoundingClientRect();
      const px = cx ?? (frame ? frame.width / 2 : 0);
      const py = cy ?? (frame ? frame.height / 2 : 0);
      const scale = Math.min(MAX_SCALE, Math.max(MIN_SCALE, current.scale * factor));
      const k = scale / current.scale;
      return { scale, x: px - (px - current.x) * k, y: py - (py - current.y) * k };
    });
  }, []);

  // Wheel zooms around the pointer; registered natively so it can stop the page from scrolling.
  useEffect(() => {
    const frame = frameRef.current;
    if (!frame) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const rect = frame.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    };
    frame.addEventListener('wheel', onWheel, { passive: false });
    return () => frame.removeEventListener('wheel', onWheel);
  }, [zoomAt, placed]);

  if (!chats || !runs || !placed) return <p className="muted pad">Drawing the map…</p>;

  const byId = new Map(placed.nodes.map((node) => [node.id, node]));
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
    const run = node.run!;
    const seededFrom = seeds?.get(run.id);
    return `${runDisplayName(run)}, ${run.status}, ${run.mode.replace('_', ' ')}, best I ${formatI(run.metrics.bestI)}${
      seededFrom ? `, seeded from Run ${shortId(seededFrom)}` : ''
    }`;
  };

  const onPointerDown = (event: ReactPointerEvent<HTMLDivElement>) => {
    if (!view || event.button !== 0) return;
    drag.current = { x: event.clientX, y: event.clientY, view, moved: false };
  };
  const onPointerMove = (event: ReactPointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!start.moved && Math.hypot(dx, dy) < 4) return;
    if (!start.moved) event.currentTarget.setPointerCapture(event.pointerId);
    start.moved = true;
    setView({ ...start.view, x: start.view.x + dx, y: start.view.y + dy });
  };
  const onPointerUp = () => {
    // Leave `moved` readable by the click that follows a drag, so it does not open a node.
    setTimeout(() => (drag.current = null), 0);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return;
    const step = 60;
    if (event.key === '+' || event.key === '=') zoomAt(1.25);
    else if (event.key === '-') zoomAt(0.8);
    else if (event.key === '0') fit();
    else if (event.key === 'ArrowLeft') setView((v) => v && { ...v, x: v.x + step });
    else if (event.key === 'ArrowRight') setView((v) => v && { ...v, x: v.x - step });
    else if (event.key === 'ArrowUp') setView((v) => v && { ...v, y: v.y + step });
    else if (event.key === 'ArrowDown') setView((v) => v && { ...v, y: v.y - step });
    else return;
    event.preventDefault();
  };

  const seededCount = placed.edges.filter((edge) => edge.kind === 'seeded').length;
  return (
    <section className="project-map" aria-labelledby="map-title">
      <p className="muted">
        <AppLink to={links.chat(projectId, chat.id, 'runs')}>← Run history</AppLink>
      </p>
      <div className="map-head">
        <h3 id="map-title">Project map</h3>
        <div className="map-tools" role="group" aria-label="Zoom">
          <button type="button" onClick={() => zoomAt(0.8)} aria-label="Zoom out" title="Zoom out (−)">
            −
          </button>
          <span className="map-zoom muted" aria-live="polite">
            {Math.round((view?.scale ?? 1) * 100)}%
          </span>
          <button type="button" onClick={() => zoomAt(1.25)} aria-label="Zoom in" title="Zoom in (+)">
            +
          </button>
          <button type="button" onClick={fit} title="Fit the whole map (0)">
            Fit
          </button>
        </div>
      </div>
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
        <span>· · · next run of the same chat</span>
        <span className="legend-seeded">━ seeded from a run{seededCount ? ` (${seededCount})` : ''}</span>
        <span>
          {placed.nodes.length} nodes{runs.hasMore ? ` · the newest ${MAP_RUN_LIMIT} runs` : ''}
        </span>
      </div>
      <div
        ref={frameRef}
        className="map-frame"
        tabIndex={0}
        role="region"
        aria-label="Map canvas: drag to pan, wheel or + and − to zoom, 0 to fit"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      >
        <svg className="map-svg" width="100%" height="100%" role="group" aria-label="Chats and runs of this project">
          <defs>
            <marker id="map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="map-arrow" />
            </marker>
            <marker
              id="map-arrow-seeded"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" className="map-arrow seeded" />
            </marker>
          </defs>
          {view && (
            <g transform={`translate(${view.x} ${view.y}) scale(${view.scale})`}>
              <g>
                {placed.edges.map((edge, at) => {
                  if (!byId.has(edge.from) || !byId.has(edge.to)) return null;
                  return (
                    <path
                      key={`${edge.from}-${edge.to}-${at}`}
                      className={`map-edge ${edge.kind}`}
                      data-from={edge.from}
                      data-to={edge.to}
                      data-kind={edge.kind}
                      d={pathOf(edge.points)}
                      markerEnd={edge.kind === 'seeded' ? 'url(#map-arrow-seeded)' : 'url(#map-arrow)'}
                    >
                      {edge.kind === 'seeded' && <title>Seeded from a candidate of this run</title>}
                    </path>
                  );
                })}
              </g>
              {placed.nodes.map((node) => {
                const href = hrefOf(node);
                const className =
                  node.kind === 'chat'
                    ? `map-node chat-${node.chat!.mode}${node.id === chat.id ? ' current' : ''}`
                    : node.kind === 'run'
                      ? `map-node run run-${node.run!.status}`
                      : 'map-node run';
                const fullTitle =
                  node.kind === 'chat' ? node.chat!.title : node.kind === 'run' ? runDisplayName(node.run!) : `+${node.hidden} more runs`;
                const [line1, line2] = splitTitle(fullTitle, 26);
                const sub =
                  node.kind === 'chat'
                    ? `${CHAT_MODE_LABELS[node.chat!.mode]} · ${node.chat!.messageCount} msg`
                    : node.kind === 'run'
                      ? `${node.run!.mode === 'seeded' ? 'seeded · ' : ''}${node.run!.status} · best I ${formatI(node.run!.metrics.bestI)}`
                      : 'open the run history';
                return (
                  <a
                    key={node.id}
                    href={href}
                    className={className}
                    data-node-id={node.id}
                    aria-label={labelOf(node)}
                    onClick={(event) => {
                      event.preventDefault();
                      if (drag.current?.moved) return;
                      navigate(href);
                    }}
                  >
                    <title>{labelOf(node)}</title>
                    <rect x={node.x} y={node.y} width={NODE_W} height={NODE_H} rx={node.kind === 'chat' ? 10 : 4} />
                    <text x={node.x + 10} y={node.y + (line2 ? 17 : 21)}>
                      {line1}
                    </text>
                    {line2 && (
                      <text x={node.x + 10} y={node.y + 31}>
                        {line2}
                      </text>
                    )}
                    <text className="sub" x={node.x + 10} y={node.y + (line2 ? 46 : 40)}>
                      {sub}
                    </text>
                  </a>
                );
              })}
            </g>
          )}
        </svg>
      </div>
    </section>
  );
}
