//! Force-directed layout of the cooperation network, in the ForceAtlas2 family: nodes repel
//! in proportion to their masses (degree + 1) and the inverse of their distance, edges pull
//! their ends together in proportion to distance and weight, and a weak gravity keeps
//! disconnected parts on screen. Repulsion is approximated with a Barnes–Hut quadtree, so a
//! step costs O(n log n + m) instead of O(n²).
//!
//! Pure Rust with no dependencies: the web app runs it inside WebAssembly, a step at a time
//! between frames, and the same code is tested natively. Positions are deterministic for a
//! given graph (no randomness: nodes start on a sunflower spiral).

/// Tuning of the forces.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Strength of repulsion between nodes.
    pub repulsion: f32,
    /// Strength of the pull towards the origin.
    pub gravity: f32,
    /// Barnes–Hut opening angle: a cell whose size / distance is below it acts as one body.
    /// 0 computes repulsion exactly.
    pub theta: f32,
    /// Largest move of a node in one step.
    pub max_step: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Self { repulsion: 2.0, gravity: 0.05, theta: 0.9, max_step: 10.0 }
    }
}

/// A graph being laid out.
#[derive(Debug, Clone)]
pub struct Layout {
    positions: Vec<[f32; 2]>,
    masses: Vec<f32>,
    edges: Vec<(u32, u32, f32)>,
    forces: Vec<[f32; 2]>,
    previous: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    settings: Settings,
    /// Global speed, adapted each step from how much nodes swing (ForceAtlas2).
    speed: f32,
}

impl Layout {
    /// A layout of `nodes` nodes joined by `edges` (`from`, `to`, weight), nodes placed on a
    /// sunflower spiral.
    pub fn new(nodes: usize, edges: &[(usize, usize, f32)], settings: Settings) -> Self {
        let golden = std::f32::consts::PI * (3.0 - 5f32.sqrt());
        let spread = 10.0;
        let positions: Vec<[f32; 2]> = (0..nodes)
            .map(|i| {
                let radius = spread * (i as f32 + 0.5).sqrt();
                let angle = i as f32 * golden;
                [radius * angle.cos(), radius * angle.sin()]
            })
            .collect();
        let mut masses = vec![1.0f32; nodes];
        let mut kept = Vec::with_capacity(edges.len());
        for &(from, to, weight) in edges {
            if from < nodes && to < nodes && from != to {
                masses[from] += 1.0;
                masses[to] += 1.0;
                kept.push((from as u32, to as u32, weight.max(0.0)));
            }
        }
        Self {
            positions,
            masses,
            edges: kept,
            forces: vec![[0.0; 2]; nodes],
            previous: vec![[0.0; 2]; nodes],
            pinned: vec![false; nodes],
            settings,
            speed: 1.0,
        }
    }

    /// Node positions, in the order given to `new`.
    pub fn positions(&self) -> &[[f32; 2]] {
        &self.positions
    }

    /// Holds a node at `position` (while the user drags it) or releases it (`None`).
    pub fn pin(&mut self, node: usize, position: Option<[f32; 2]>) {
        if node < self.positions.len() {
            self.pinned[node] = position.is_some();
            if let Some(position) = position {
                self.positions[node] = position;
            }
        }
    }

    /// One step; returns the mean distance nodes moved.
    pub fn step(&mut self) -> f32 {
        let count = self.positions.len();
        if count == 0 {
            return 0.0;
        }
        self.forces.iter_mut().for_each(|force| *force = [0.0; 2]);
        let tree = QuadTree::build(&self.positions, &self.masses);
        let Settings { repulsion, gravity, theta, max_step } = self.settings;
        for node in 0..count {
            let [x, y] = self.positions[node];
            let mass = self.masses[node];
            let [fx, fy] = tree.repulsion(node, [x, y], mass, repulsion, theta);
            let distance = (x * x + y * y).sqrt().max(1e-3);
            self.forces[node][0] += fx - gravity * mass * x / distance;
            self.forces[node][1] += fy - gravity * mass * y / distance;
        }
        for &(from, to, weight) in &self.edges {
            let (from, to) = (from as usize, to as usize);
            let dx = self.positions[to][0] - self.positions[from][0];
            let dy = self.positions[to][1] - self.positions[from][1];
            self.forces[from][0] += dx * weight * 0.1;
            self.forces[from][1] += dy * weight * 0.1;
            self.forces[to][0] -= dx * weight * 0.1;
            self.forces[to][1] -= dy * weight * 0.1;
        }
        // Adaptive speed: nodes whose force flips direction ("swing") slow everything down.
        let (mut swing, mut traction) = (0.0f32, 0.0f32);
        for node in 0..count {
            let [fx, fy] = self.forces[node];
            let [px, py] = self.previous[node];
            let mass = self.masses[node];
            swing += mass * ((fx - px).powi(2) + (fy - py).powi(2)).sqrt();
            traction += mass * 0.5 * ((fx + px).powi(2) + (fy + py).powi(2)).sqrt();
        }
        let target = if swing > 0.0 { traction / swing } else { self.speed * 1.5 };
        self.speed = (self.speed + (target - self.speed).clamp(-0.5 * self.speed, 0.5 * self.speed)).clamp(0.01, 10.0);
        let mut moved = 0.0;
        for node in 0..count {
            self.previous[node] = self.forces[node];
            if self.pinned[node] {
                continue;
            }
            let [fx, fy] = self.forces[node];
            let length = (fx * fx + fy * fy).sqrt();
            if length == 0.0 || !length.is_finite() {
                continue;
            }
            let step = (self.speed * length / self.masses[node]).min(max_step);
            self.positions[node][0] += fx / length * step;
            self.positions[node][1] += fy / length * step;
            moved += step;
        }
        moved / count as f32
    }

    /// Steps until nodes move less than `tolerance` on average or `max_steps` were taken;
    /// returns the number of steps taken.
    pub fn run(&mut self, max_steps: usize, tolerance: f32) -> usize {
        for steps in 1..=max_steps {
            if self.step() < tolerance {
                return steps;
            }
        }
        max_steps
    }
}

/// A Barnes–Hut quadtree over the node positions, rebuilt each step.
struct QuadTree {
    cells: Vec<Cell>,
}

#[derive(Clone, Copy)]
struct Cell {
    center: [f32; 2],
    half: f32,
    mass: f32,
    /// Centre of mass, as the weighted sum until `finish` divides it.
    mass_center: [f32; 2],
    /// The node in a leaf holding exactly one; `u32::MAX` otherwise.
    node: u32,
    /// Index of the first of four children, 0 for a leaf.
    children: u32,
}

impl Cell {
    fn new(center: [f32; 2], half: f32) -> Self {
        Self { center, half, mass: 0.0, mass_center: [0.0; 2], node: u32::MAX, children: 0 }
    }
}

/// Below this size cells stop splitting (nodes on the same spot share a leaf).
const MIN_HALF: f32 = 1e-3;

impl QuadTree {
    fn build(positions: &[[f32; 2]], masses: &[f32]) -> Self {
        let (mut min, mut max) = ([f32::MAX; 2], [f32::MIN; 2]);
        for position in positions {
            for axis in 0..2 {
                min[axis] = min[axis].min(position[axis]);
                max[axis] = max[axis].max(position[axis]);
            }
        }
        let half = ((max[0] - min[0]).max(max[1] - min[1]) / 2.0).max(1.0) * 1.01;
        let center = [(min[0] + max[0]) / 2.0, (min[1] + max[1]) / 2.0];
        let mut tree = Self { cells: Vec::with_capacity(positions.len() * 2 + 1) };
        tree.cells.push(Cell::new(center, half));
        for (node, position) in positions.iter().enumerate() {
            tree.insert(0, node as u32, *position, masses[node], positions, 0);
        }
        for cell in &mut tree.cells {
            if cell.mass > 0.0 {
                cell.mass_center = [cell.mass_center[0] / cell.mass, cell.mass_center[1] / cell.mass];
            }
        }
        tree
    }

    fn quadrant(cell: &Cell, position: [f32; 2]) -> u32 {
        u32::from(position[0] >= cell.center[0]) + 2 * u32::from(position[1] >= cell.center[1])
    }

    fn split(&mut self, index: usize) {
        let Cell { center, half, .. } = self.cells[index];
        let quarter = half / 2.0;
        let first = self.cells.len() as u32;
        for quadrant in 0..4 {
            let dx = if quadrant & 1 == 1 { quarter } else { -quarter };
            let dy = if quadrant & 2 == 2 { quarter } else { -quarter };
            self.cells.push(Cell::new([center[0] + dx, center[1] + dy], quarter));
        }
        self.cells[index].children = first;
    }

    fn insert(&mut self, index: usize, node: u32, position: [f32; 2], mass: f32, all: &[[f32; 2]], depth: u32) {
        let cell = self.cells[index];
        let empty = cell.mass == 0.0;
        {
            let cell = &mut self.cells[index];
            cell.mass += mass;
            cell.mass_center[0] += position[0] * mass;
            cell.mass_center[1] += position[1] * mass;
        }
        if empty {
            self.cells[index].node = node;
            return;
        }
        if cell.children == 0 {
            if cell.half < MIN_HALF || depth > 40 {
                self.cells[index].node = u32::MAX; // several nodes on one spot: an aggregate leaf
                return;
            }
            // Push the resident node down before adding the new one.
            let resident = cell.node;
            self.split(index);
            self.cells[index].node = u32::MAX;
            if resident != u32::MAX {
                let resident_position = all[resident as usize];
                let resident_mass = cell.mass;
                let child = (self.cells[index].children + Self::quadrant(&cell, resident_position)) as usize;
                self.insert(child, resident, resident_position, resident_mass, all, depth + 1);
            }
        }
        let child = (self.cells[index].children + Self::quadrant(&cell, position)) as usize;
        self.insert(child, node, position, mass, all, depth + 1);
    }

    /// The repulsive force on `node` at `position` from every other node.
    fn repulsion(&self, node: usize, position: [f32; 2], mass: f32, strength: f32, theta: f32) -> [f32; 2] {
        let mut force = [0.0f32; 2];
        let mut stack = vec![0usize];
        while let Some(index) = stack.pop() {
            let cell = &self.cells[index];
            if cell.mass == 0.0 || cell.node == node as u32 {
                continue;
            }
            let dx = position[0] - cell.mass_center[0];
            let dy = position[1] - cell.mass_center[1];
            let distance = (dx * dx + dy * dy).sqrt();
            if cell.children != 0 && (2.0 * cell.half) >= theta * distance {
                stack.extend((0..4).map(|quadrant| (cell.children + quadrant) as usize));
                continue;
            }
            // A leaf, or a cell far enough to act as one body. Nodes on the same spot push
            // apart along a fixed direction so that they separate.
            let distance = distance.max(0.01);
            let (ux, uy) = if distance > 0.01 { (dx / distance, dy / distance) } else { (1.0, 0.0) };
            let magnitude = strength * mass * cell.mass / distance;
            force[0] += ux * magnitude;
            force[1] += uy * magnitude;
        }
        force
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: [f32; 2], b: [f32; 2]) -> f32 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }

    fn centroid(points: &[[f32; 2]]) -> [f32; 2] {
        let n = points.len() as f32;
        [points.iter().map(|p| p[0]).sum::<f32>() / n, points.iter().map(|p| p[1]).sum::<f32>() / n]
    }

    #[test]
    fn two_disconnected_clusters_end_up_apart() {
        // Two dense clusters of 8 nodes each, no edge between them.
        let mut edges = Vec::new();
        for base in [0usize, 8] {
            for a in 0..8 {
                for b in a + 1..8 {
                    edges.push((base + a, base + b, 1.0));
                }
            }
        }
        let mut layout = Layout::new(16, &edges, Settings::default());
        layout.run(2_000, 0.01);
        let positions = layout.positions();
        let (left, right) = positions.split_at(8);
        let gap = distance(centroid(left), centroid(right));
        let spread = |cluster: &[[f32; 2]]| {
            let center = centroid(cluster);
            cluster.iter().map(|p| distance(*p, center)).fold(0.0f32, f32::max)
        };
        assert!(gap > 2.0 * spread(left).max(spread(right)), "gap {gap}, spreads {} {}", spread(left), spread(right));
    }

    #[test]
    fn a_cycle_converges_to_a_regular_polygon() {
        let edges: Vec<(usize, usize, f32)> = (0..6).map(|i| (i, (i + 1) % 6, 1.0)).collect();
        let mut layout = Layout::new(6, &edges, Settings { theta: 0.0, ..Settings::default() });
        let steps = layout.run(5_000, 0.001);
        assert!(steps < 5_000, "converged in {steps} steps");
        let positions = layout.positions();
        let sides: Vec<f32> = (0..6).map(|i| distance(positions[i], positions[(i + 1) % 6])).collect();
        let mean = sides.iter().sum::<f32>() / 6.0;
        assert!(sides.iter().all(|side| (side - mean).abs() / mean < 0.05), "sides {sides:?}");
        let center = centroid(positions);
        let radii: Vec<f32> = positions.iter().map(|p| distance(*p, center)).collect();
        assert!(radii.iter().all(|r| (r - radii[0]).abs() / radii[0] < 0.05), "radii {radii:?}");
    }

    #[test]
    fn barnes_hut_stays_close_to_the_exact_repulsion() {
        let layout = Layout::new(500, &[], Settings::default());
        let masses = vec![1.0; 500];
        let tree = QuadTree::build(layout.positions(), &masses);
        let mut worst = 0.0f32;
        for node in (0..500).step_by(37) {
            let position = layout.positions()[node];
            let exact = tree.repulsion(node, position, 1.0, 1.0, 0.0);
            let approximate = tree.repulsion(node, position, 1.0, 1.0, 0.9);
            let error = distance(exact, approximate) / (exact[0].hypot(exact[1])).max(1e-6);
            worst = worst.max(error);
        }
        assert!(worst < 0.1, "relative error {worst}");
    }

    #[test]
    fn layouts_are_deterministic_and_pinned_nodes_stay() {
        let edges = [(0, 1, 1.0), (1, 2, 2.0), (2, 0, 1.0), (2, 3, 1.0)];
        let mut first = Layout::new(4, &edges, Settings::default());
        let mut second = Layout::new(4, &edges, Settings::default());
        first.pin(3, Some([100.0, 100.0]));
        second.pin(3, Some([100.0, 100.0]));
        first.run(200, 0.0);
        second.run(200, 0.0);
        assert_eq!(first.positions(), second.positions());
        assert_eq!(first.positions()[3], [100.0, 100.0]);
        assert!(first.positions().iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    }
}
