#pragma once
// Shader programs of the layers (private to layers/). One program object per kind of layer, shared by every
// layer of that kind: OSG compiles it once per graphics context.

#include <osg/Program>

namespace gt::layers::detail {

inline osg::ref_ptr<osg::Program> makeProgram(const char* name, const char* vertexSource, const char* fragmentSource) {
  osg::ref_ptr<osg::Program> program = new osg::Program;
  program->setName(name);
  program->addShader(new osg::Shader(osg::Shader::VERTEX, vertexSource));
  program->addShader(new osg::Shader(osg::Shader::FRAGMENT, fragmentSource));
  return program;
}

}  // namespace gt::layers::detail
