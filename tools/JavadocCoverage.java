import com.sun.source.doctree.DocCommentTree;
import com.sun.source.doctree.DocTree;
import com.sun.source.doctree.ParamTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Javadoc coverage of the public API of GeoPigeon's modules, measured from the source with the JDK's own parser
 * (the {@code com.sun.source} tree API: parse only, no class path, no build needed).
 *
 * <p>Run: {@code tools/javadoc_coverage.sh [--list] [--min PERCENT] MODULE...} (or {@code java
 * tools/JavadocCoverage.java ...}). Prints one line per module: public types and public methods of
 * {@code MODULE/src/main/java} with a Javadoc comment, and the package-info files. With {@code --list} it also prints
 * every undocumented public method and type as {@code file:line}; with {@code --min P} it exits 1 when a module's
 * method coverage is below P percent.
 *
 * <p>What counts (the rules of the javadoc tool): a type is public when it is declared {@code public} (or is a member
 * of an interface) and every enclosing type is public; a method is public when it is declared {@code public}, or is a
 * non-private method of an interface, inside a public type. Constructors are not methods here. A method is documented
 * when it has its own {@code /** ... *}{@code /} comment, when it carries {@code @Override} (the javadoc tool copies
 * the overridden method's comment; counted separately as "inherited"), or when it is an explicit accessor of a record
 * component that the record's own Javadoc describes with {@code @param}. Generated sources are not read.
 *
 * <p>Written by hand (about 150 lines) because doclint's {@code -Xdoclint:missing} needs the full compile class path
 * of every module and reports fields, tags and methods in one stream that would need parsing again.
 */
public final class JavadocCoverage {

    private record Counts(int types, int typesDoc, int methods, int methodsDoc, int methodsInherited,
                          List<String> missing) {
    }

    public static void main(String[] args) throws IOException {
        boolean list = false;
        double min = -1;
        List<String> modules = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list" -> list = true;
                case "--min" -> min = Double.parseDouble(args[++i]);
                default -> modules.add(args[i]);
            }
        }
        if (modules.isEmpty()) {
            System.err.println("usage: javadoc_coverage.sh [--list] [--min PERCENT] MODULE...");
            System.exit(2);
        }
        boolean below = false;
        System.out.printf("%-12s %14s %22s %10s %14s%n", "module", "public types", "public methods", "inherited",
                "package-info");
        for (String module : modules) {
            Path root = Path.of(module, "src", "main", "java");
            if (!Files.isDirectory(root)) {
                System.err.println(module + ": no " + root);
                System.exit(2);
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            Set<Path> packages = new HashSet<>();
            Set<Path> withInfo = new HashSet<>();
            for (Path f : files) {
                packages.add(f.getParent());
                if (f.getFileName().toString().equals("package-info.java")) {
                    withInfo.add(f.getParent());
                }
            }
            Counts c = count(files);
            double pct = c.methods == 0 ? 100 : 100.0 * c.methodsDoc / c.methods;
            System.out.printf("%-12s %6d/%-4d %3.0f%% %8d/%-5d %5.1f%% %10d %8d/%-5d%n", module, c.typesDoc, c.types,
                    c.types == 0 ? 100 : 100.0 * c.typesDoc / c.types, c.methodsDoc, c.methods, pct,
                    c.methodsInherited, withInfo.size(), packages.size());
            if (list) {
                c.missing.forEach(m -> System.out.println("  missing " + m));
            }
            if (min >= 0 && pct < min) {
                below = true;
            }
        }
        if (below) {
            System.err.println("method coverage below " + min + "%");
            System.exit(1);
        }
    }

    private static Counts count(List<Path> files) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int[] n = new int[5];
        List<String> missing = new ArrayList<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
            JavacTask task = (JavacTask) javac.getTask(null, fm, d -> { }, List.of("-proc:none"), null,
                    fm.getJavaFileObjectsFromPaths(files));
            DocTrees docs = DocTrees.instance(task);
            for (CompilationUnitTree unit : task.parse()) {
                new TreePathScanner<Void, Void>() {
                    private final Deque<ClassTree> publicTypes = new ArrayDeque<>();
                    private final Deque<Boolean> visible = new ArrayDeque<>();

                    @Override
                    public Void visitVariable(com.sun.source.tree.VariableTree field, Void unused) {
                        return null; // anonymous classes in initialisers are not API
                    }

                    @Override
                    public Void visitClass(ClassTree type, Void unused) {
                        boolean outerVisible = visible.isEmpty() || visible.peek();
                        boolean inInterface = !publicTypes.isEmpty() && isInterface(publicTypes.peek());
                        boolean isPublic = outerVisible && (type.getModifiers().getFlags().contains(Modifier.PUBLIC)
                                || (inInterface && !type.getModifiers().getFlags().contains(Modifier.PRIVATE)));
                        if (isPublic) {
                            n[0]++;
                            if (docs.getDocCommentTree(getCurrentPath()) != null) {
                                n[1]++;
                            } else {
                                missing.add(where(docs, unit, type) + " type " + type.getSimpleName());
                            }
                        }
                        publicTypes.push(type);
                        visible.push(isPublic);
                        super.visitClass(type, unused);
                        visible.pop();
                        publicTypes.pop();
                        return null;
                    }

                    @Override
                    public Void visitMethod(MethodTree method, Void unused) {
                        ClassTree owner = publicTypes.peek();
                        if (owner == null || !visible.peek() || method.getReturnType() == null) {
                            return null; // constructor, or not in the public API
                        }
                        Set<Modifier> flags = method.getModifiers().getFlags();
                        boolean isPublic = flags.contains(Modifier.PUBLIC)
                                || (isInterface(owner) && !flags.contains(Modifier.PRIVATE));
                        if (!isPublic) {
                            return null;
                        }
                        n[2]++;
                        if (docs.getDocCommentTree(getCurrentPath()) != null) {
                            n[3]++;
                        } else if (method.getModifiers().getAnnotations().stream()
                                .anyMatch(a -> a.getAnnotationType().toString().endsWith("Override"))) {
                            n[3]++;
                            n[4]++;
                        } else if (owner.getKind() == Tree.Kind.RECORD && method.getParameters().isEmpty()
                                && recordParams(docs, getCurrentPath().getParentPath())
                                .contains(method.getName().toString())) {
                            n[3]++;
                        } else {
                            missing.add(where(docs, unit, method) + " " + owner.getSimpleName() + "." + method.getName());
                        }
                        return null; // local and anonymous classes inside bodies are not API
                    }
                }.scan(unit, null);
            }
        }
        return new Counts(n[0], n[1], n[2], n[3], n[4], missing);
    }

    private static boolean isInterface(ClassTree type) {
        return type.getKind() == Tree.Kind.INTERFACE || type.getKind() == Tree.Kind.ANNOTATION_TYPE;
    }

    /** Names of the record components documented with {@code @param} in the record's own Javadoc. */
    private static Set<String> recordParams(DocTrees docs, TreePath recordPath) {
        Set<String> names = new HashSet<>();
        DocCommentTree doc = docs.getDocCommentTree(recordPath);
        if (doc != null) {
            for (DocTree tag : doc.getBlockTags()) {
                if (tag instanceof ParamTree param) {
                    names.add(param.getName().getName().toString());
                }
            }
        }
        return names;
    }

    private static String where(DocTrees docs, CompilationUnitTree unit, Tree tree) {
        long start = docs.getSourcePositions().getStartPosition(unit, tree);
        return unit.getSourceFile().getName() + ":" + unit.getLineMap().getLineNumber(start);
    }
}
