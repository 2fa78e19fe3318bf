//! The file's nodes as a tree: names taken apart, parents, depths, ancestry.

use super::names::{NameParts, Prefix};

/// The nodes the map is found among, with what it asks of them.
pub struct Skeleton {
    pub names: Vec<String>,
    pub parts: Vec<NameParts>,
    parent: Vec<Option<usize>>,
    depth: Vec<usize>,
    /// Whether a node may be one of our bones (not a Rigify mechanism bone, and a
    /// deform bone when the skeleton has deform bones).
    pub eligible: Vec<bool>,
}

impl Skeleton {
    /// Builds the tree. A parent index out of range, or one that would close a loop,
    /// is dropped (the node becomes a root), so any input is safe.
    pub fn new<'a>(nodes: impl IntoIterator<Item = (&'a str, Option<usize>)>) -> Skeleton {
        let (names, mut parent): (Vec<String>, Vec<Option<usize>>) =
            nodes.into_iter().map(|(n, p)| (n.to_string(), p)).unzip();
        let n = names.len();
        for i in 0..n {
            if parent[i].is_some_and(|p| p >= n) {
                parent[i] = None;
            }
            // Walk up: if we come back to i within n steps, cut i's link.
            let mut at = parent[i];
            for _ in 0..n {
                match at {
                    Some(a) if a == i => {
                        parent[i] = None;
                        break;
                    }
                    Some(a) => at = parent[a],
                    None => break,
                }
            }
        }
        let depth = (0..n)
            .map(|i| std::iter::successors(parent[i], |&p| parent[p]).count())
            .collect();
        let parts: Vec<NameParts> = names.iter().map(|n| NameParts::parse(n)).collect();
        let has_deform = parts.iter().any(|p| p.prefix == Prefix::Deform);
        let eligible = parts
            .iter()
            .map(|p| p.is_eligible() && (!has_deform || p.prefix == Prefix::Deform))
            .collect();
        Skeleton {
            names,
            parts,
            parent,
            depth,
            eligible,
        }
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn parent(&self, i: usize) -> Option<usize> {
        self.parent[i]
    }

    pub fn depth(&self, i: usize) -> usize {
        self.depth[i]
    }

    /// Whether `a` is a strict ancestor of `d`.
    pub fn is_ancestor(&self, a: usize, d: usize) -> bool {
        std::iter::successors(self.parent[d], |&p| self.parent[p]).any(|p| p == a)
    }

    /// The nodes strictly between `top` and `bottom`, top first, when `top` is an
    /// ancestor of `bottom`.
    pub fn between(&self, top: usize, bottom: usize) -> Option<Vec<usize>> {
        let mut path: Vec<usize> = std::iter::successors(self.parent[bottom], |&p| self.parent[p])
            .take_while(|&p| p != top)
            .collect();
        if !self.is_ancestor(top, bottom) {
            return None;
        }
        path.reverse();
        Some(path)
    }

    /// Whether any strict descendant of `a` satisfies `pred`.
    pub fn any_descendant(&self, a: usize, pred: impl Fn(usize) -> bool) -> bool {
        (0..self.len()).any(|d| pred(d) && self.is_ancestor(a, d))
    }

    /// The first node called exactly `name`, else the first called so in another case;
    /// of several, the one nearest the root (a mesh node often shares its bone's name).
    pub fn find(&self, name: &str) -> Option<usize> {
        let pick = |eq: &dyn Fn(&str) -> bool| {
            (0..self.len())
                .filter(|&i| eq(&self.names[i]))
                .min_by_key(|&i| (self.depth[i], i))
        };
        pick(&|n| n == name).or_else(|| pick(&|n| n.eq_ignore_ascii_case(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_and_stray_parents_become_roots() {
        let s = Skeleton::new([
            ("a", Some(2)),
            ("b", Some(0)),
            ("c", Some(1)),
            ("d", Some(9)),
        ]);
        // a → c → b → a is a loop: the first link looked at is cut.
        assert_eq!(s.parent(0), None);
        assert_eq!(s.parent(3), None);
        assert!(s.is_ancestor(0, 2));
        assert_eq!(s.depth(2), 2);
        assert_eq!(s.between(0, 2), Some(vec![1]));
        assert_eq!(s.between(2, 0), None);
    }

    #[test]
    fn deform_bones_exclude_the_rest_when_present() {
        let s = Skeleton::new([("root", None), ("DEF-spine", Some(0)), ("spine", Some(0))]);
        assert_eq!(s.eligible, [false, true, false]);
        let s = Skeleton::new([("root", None), ("MCH-spine", Some(0)), ("spine", Some(0))]);
        assert_eq!(s.eligible, [true, false, true]);
    }

    #[test]
    fn find_prefers_the_node_nearest_the_root_and_exact_case() {
        let s = Skeleton::new([("Foot.L", None), ("Foot.L", Some(0)), ("foot.l", None)]);
        assert_eq!(s.find("Foot.L"), Some(0));
        assert_eq!(s.find("FOOT.L"), Some(0));
        assert_eq!(s.find("foot.l"), Some(2));
        assert_eq!(s.find("hand"), None);
    }
}
